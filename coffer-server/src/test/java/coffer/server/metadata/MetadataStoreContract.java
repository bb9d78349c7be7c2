package coffer.server.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.api.UploadMetadata;
import coffer.core.error.BadRequestException;
import coffer.core.error.CofferException;
import coffer.core.error.ConflictException;
import coffer.core.hash.Sha256;
import coffer.core.manifest.ChunkRef;
import coffer.core.manifest.Manifest;
import coffer.core.model.Device;
import coffer.core.model.Ids;
import coffer.core.model.JournalEntry;
import coffer.core.model.JournalOp;
import coffer.core.model.Link;
import coffer.core.model.Node;
import coffer.core.model.NodeKind;
import coffer.core.model.Revision;
import coffer.core.model.Role;
import coffer.core.model.User;
import coffer.core.name.NodeName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} adapter guarantees. An adapter's test extends this class and
 * says how to open a fresh, empty, migrated store.
 */
public abstract class MetadataStoreContract {

  /** Times are stored to the millisecond. */
  protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123Z");

  protected MetadataStore store;

  /** A fresh, empty, migrated store; called before every test. */
  protected abstract MetadataStore openStore() throws Exception;

  /** Cleans up after the store is closed (a database, a schema); called after every test. */
  protected void afterClose() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    store = openStore();
  }

  @AfterEach
  void close() throws Exception {
    try {
      if (store != null) {
        store.close();
      }
    } finally {
      afterClose();
    }
  }

  // --- fixtures ------------------------------------------------------------------------------

  /** A user with a home namespace and its root folder. */
  protected record Home(User user, String namespaceId, String rootId) {}

  protected Home newHome(String username) {
    String namespaceId = Ids.newId();
    String rootId = Ids.newId();
    User user = new User(Ids.newId(), username, "$hash$" + username, false, namespaceId, T0);
    store.write(
        tx -> {
          tx.users().insert(user);
          tx.namespaces().insert(namespaceId, user.id(), rootId, T0);
          tx.nodes()
              .insert(
                  new Node(
                      rootId, namespaceId, null, "", NodeKind.FOLDER, null, 0, null, T0, T0, false),
                  "");
          return null;
        });
    return new Home(user, namespaceId, rootId);
  }

  protected static Node folderNode(Home home, String parentId, String name) {
    return new Node(
        Ids.newId(),
        home.namespaceId(),
        parentId,
        name,
        NodeKind.FOLDER,
        null,
        0,
        null,
        T0,
        T0,
        false);
  }

  protected static Node fileNode(Home home, String parentId, String name) {
    return new Node(
        Ids.newId(),
        home.namespaceId(),
        parentId,
        name,
        NodeKind.FILE,
        Ids.newId(),
        5,
        hash(name),
        T0,
        T0,
        false);
  }

  protected Node insert(Node node) {
    store.write(
        tx -> {
          tx.nodes().insert(node, NodeName.key(node.name()));
          return null;
        });
    return node;
  }

  // --- typed shorthands (AssertJ cannot pick an assertThat for a generic lambda's result) ----

  protected Optional<Long> quotaOf(String userId) {
    return store.read(tx -> tx.users().quota(userId));
  }

  protected long usedBy(String userId) {
    return store.read(tx -> tx.users().usedBytes(userId));
  }

  protected Optional<User> userById(String id) {
    return store.read(tx -> tx.users().byId(id));
  }

  protected Optional<User> userByName(String username) {
    return store.read(tx -> tx.users().byUsername(username));
  }

  protected long userCount() {
    return store.read(tx -> tx.users().count());
  }

  protected Optional<Device> deviceByToken(Sha256 tokenHash) {
    return store.read(tx -> tx.devices().byTokenHash(tokenHash));
  }

  protected List<Device> devicesOf(String userId) {
    return store.read(tx -> tx.devices().forUser(userId));
  }

  protected boolean revoke(String userId, String deviceId, Instant at) {
    return store.write(tx -> tx.devices().revoke(userId, deviceId, at));
  }

  protected String rootId(String namespaceId) {
    return store.read(tx -> tx.namespaces().rootId(namespaceId));
  }

  protected long nextSeq(String namespaceId) {
    return store.write(tx -> tx.namespaces().nextSeq(namespaceId));
  }

  protected long lastSeq(String namespaceId) {
    return store.read(tx -> tx.namespaces().lastSeq(namespaceId));
  }

  protected List<JournalEntry> journal(String namespaceId, long afterSeq, int limit) {
    return store.read(tx -> tx.journal().after(namespaceId, afterSeq, limit));
  }

  protected Optional<Node> byId(String id) {
    return store.read(tx -> tx.nodes().byId(id));
  }

  protected Optional<Node> child(String namespaceId, String parentId, String nameKey) {
    return store.read(tx -> tx.nodes().child(namespaceId, parentId, nameKey));
  }

  protected List<Node> children(String namespaceId, String parentId) {
    return store.read(tx -> tx.nodes().children(namespaceId, parentId));
  }

  protected int trash(String namespaceId, String nodeId, Instant at) {
    return store.write(tx -> tx.nodes().trash(namespaceId, nodeId, at));
  }

  protected Optional<Revision> revision(String id) {
    return store.read(tx -> tx.revisions().byId(id));
  }

  protected static Sha256 hash(String text) {
    return Sha256.of(text.getBytes(StandardCharsets.UTF_8));
  }

  protected static String type(Throwable e) {
    return ((CofferException) e).type();
  }

  // --- users ---------------------------------------------------------------------------------

  @Nested
  class Users {

    @Test
    void a_user_is_found_by_id_and_by_username_in_any_case() {
      Home alice = newHome("Alice");

      assertThat(userById(alice.user().id())).contains(alice.user());
      assertThat(userByName("Alice")).contains(alice.user());
      assertThat(userByName("aLICE")).contains(alice.user());
      assertThat(userByName("bob")).isEmpty();
      assertThat(userById("nope")).isEmpty();
    }

    @Test
    void users_are_listed_by_username_in_any_case_a_page_at_a_time() {
      newHome("carol");
      newHome("Alice");
      newHome("bob");
      List<User> first = store.read(tx -> tx.users().list(null, 2));
      assertThat(first).extracting(User::username).containsExactly("Alice", "bob");
      List<User> rest = store.read(tx -> tx.users().list("BOB", 10));
      assertThat(rest).extracting(User::username).containsExactly("carol");
      List<User> none = store.read(tx -> tx.users().list("carol", 10));
      assertThat(none).isEmpty();
    }

    @Test
    void a_quota_is_set_changed_and_removed_and_usage_counts_live_files_only() {
      Home alice = newHome("alice");
      Home bob = newHome("bob");
      String id = alice.user().id();
      assertThat(quotaOf(id)).isEmpty();
      assertThat(usedBy(id)).isZero();

      store.write(
          tx -> {
            tx.users().setQuota(id, 1000L);
            return null;
          });
      assertThat(quotaOf(id)).contains(1000L);
      assertThat(quotaOf(bob.user().id())).isEmpty();

      Node docs = insert(folderNode(alice, alice.rootId(), "docs"));
      insert(fileNode(alice, docs.id(), "a.txt"));
      Node b = insert(fileNode(alice, docs.id(), "b.txt"));
      insert(fileNode(bob, bob.rootId(), "bobs.txt"));
      assertThat(usedBy(id)).isEqualTo(10);
      trash(alice.namespaceId(), b.id(), T0);
      assertThat(usedBy(id)).isEqualTo(5);
      assertThat(usedBy(bob.user().id())).isEqualTo(5);

      store.write(
          tx -> {
            tx.users().setQuota(id, null);
            return null;
          });
      assertThat(quotaOf(id)).isEmpty();
    }

    @Test
    void a_user_keeps_every_field() {
      User admin = new User(Ids.newId(), "root", "$argon2id$x", true, Ids.newId(), T0);
      store.write(
          tx -> {
            tx.users().insert(admin);
            return null;
          });

      assertThat(userById(admin.id())).contains(admin);
    }

    @Test
    void a_password_hash_is_replaced_and_nothing_else_changes() {
      Home home = newHome("rehash");
      store.write(
          tx -> {
            tx.users().setPasswordHash(home.user().id(), "$argon2id$stronger");
            return null;
          });

      assertThat(userById(home.user().id()))
          .get()
          .satisfies(
              u -> {
                assertThat(u.passwordHash()).isEqualTo("$argon2id$stronger");
                assertThat(u.username()).isEqualTo("rehash");
                assertThat(u.homeNamespace()).isEqualTo(home.namespaceId());
              });
    }

    @Test
    void a_username_taken_in_another_case_is_a_conflict() {
      newHome("Alice");
      User twin = new User(Ids.newId(), "ALICE", "$hash", false, Ids.newId(), T0);

      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        tx.users().insert(twin);
                        return null;
                      }))
          .isInstanceOf(ConflictException.class);

      assertThat(userById(twin.id())).isEmpty();
      assertThat(userCount()).isEqualTo(1);
    }

    @Test
    void count_counts_the_users() {
      assertThat(userCount()).isZero();

      newHome("a");
      newHome("b");

      assertThat(userCount()).isEqualTo(2);
    }
  }

  // --- devices -------------------------------------------------------------------------------

  @Nested
  class Devices {

    Home alice;

    @BeforeEach
    void user() {
      alice = newHome("alice");
    }

    Device insertDevice(String name, Instant at, Sha256 token) {
      Device device = new Device(Ids.newId(), alice.user().id(), name, at, at, null);
      store.write(
          tx -> {
            tx.devices().insert(device, token);
            return null;
          });
      return device;
    }

    @Test
    void a_device_is_found_by_its_token_hash() {
      Device laptop = insertDevice("laptop", T0, hash("token-1"));

      assertThat(deviceByToken(hash("token-1"))).contains(laptop);
      assertThat(deviceByToken(hash("token-2"))).isEmpty();
    }

    @Test
    void a_device_without_last_use_keeps_it_null() {
      Device fresh = new Device(Ids.newId(), alice.user().id(), "new", T0, null, null);
      store.write(
          tx -> {
            tx.devices().insert(fresh, hash("fresh"));
            return null;
          });

      assertThat(deviceByToken(hash("fresh"))).contains(fresh);
    }

    @Test
    void revoking_marks_the_device_once_and_only_for_its_owner() {
      Device laptop = insertDevice("laptop", T0, hash("token-1"));
      Home bob = newHome("bob");
      Instant later = T0.plusSeconds(60);

      assertThat(revoke(bob.user().id(), laptop.id(), later)).isFalse();
      assertThat(deviceByToken(hash("token-1")).orElseThrow().revoked()).isFalse();

      assertThat(revoke(alice.user().id(), laptop.id(), later)).isTrue();
      Device revoked = deviceByToken(hash("token-1")).orElseThrow();
      assertThat(revoked.revoked()).isTrue();
      assertThat(revoked.revokedAt()).isEqualTo(later);

      assertThat(revoke(alice.user().id(), laptop.id(), later.plusSeconds(1))).isFalse();
      assertThat(deviceByToken(hash("token-1")).orElseThrow().revokedAt()).isEqualTo(later);
      assertThat(revoke(alice.user().id(), "nope", later)).isFalse();
    }

    @Test
    void a_users_devices_are_listed_newest_first_revoked_ones_included() {
      Device old = insertDevice("old", T0, hash("a"));
      Device mid = insertDevice("mid", T0.plusSeconds(1), hash("b"));
      Device fresh = insertDevice("new", T0.plusSeconds(2), hash("c"));
      revoke(alice.user().id(), mid.id(), T0.plusSeconds(3));

      List<Device> devices = devicesOf(alice.user().id());

      assertThat(devices).extracting(Device::id).containsExactly(fresh.id(), mid.id(), old.id());
      assertThat(devicesOf(newHome("bob").user().id())).isEmpty();
    }

    @Test
    void touching_records_the_last_use() {
      Device laptop = insertDevice("laptop", T0, hash("token"));
      Instant used = T0.plusSeconds(3600);

      store.write(
          tx -> {
            tx.devices().touch(laptop.id(), used);
            return null;
          });

      assertThat(deviceByToken(hash("token")).orElseThrow().lastUsedAt()).isEqualTo(used);
    }
  }

  // --- namespaces and the journal ------------------------------------------------------------

  @Nested
  class Namespaces {

    JournalEntry entry(Home home, long seq) {
      return new JournalEntry(
          home.namespaceId(), seq, home.rootId(), JournalOp.CREATE, null, "/n" + seq, T0);
    }

    @Test
    void a_namespace_knows_its_root_and_starts_at_sequence_zero() {
      Home alice = newHome("alice");

      assertThat(rootId(alice.namespaceId())).isEqualTo(alice.rootId());
      assertThat(lastSeq(alice.namespaceId())).isZero();
    }

    @Test
    void next_seq_counts_1_2_3_per_namespace() {
      Home alice = newHome("alice");
      Home bob = newHome("bob");

      assertThat(nextSeq(alice.namespaceId())).isEqualTo(1);
      assertThat(nextSeq(alice.namespaceId())).isEqualTo(2);
      assertThat(nextSeq(bob.namespaceId())).isEqualTo(1);
      assertThat(nextSeq(alice.namespaceId())).isEqualTo(3);
      assertThat(lastSeq(alice.namespaceId())).isEqualTo(3);
      assertThat(lastSeq(bob.namespaceId())).isEqualTo(1);
    }

    @Test
    void a_rolled_back_sequence_number_is_handed_out_again() {
      Home alice = newHome("alice");
      nextSeq(alice.namespaceId());

      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        long seq = tx.namespaces().nextSeq(alice.namespaceId());
                        tx.journal().append(entry(alice, seq));
                        throw new BadRequestException("test", "changed my mind");
                      }))
          .isInstanceOf(BadRequestException.class);

      assertThat(nextSeq(alice.namespaceId())).isEqualTo(2);
    }

    @Test
    void concurrent_writers_get_gapless_distinct_sequence_numbers() throws Exception {
      Home alice = newHome("alice");
      int writers = 8;
      int writesEach = 50;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < writesEach; i++) {
                      mine.add(
                          store.write(
                              tx -> {
                                long seq = tx.namespaces().nextSeq(alice.namespaceId());
                                tx.journal().append(entry(alice, seq));
                                return seq;
                              }));
                    }
                    return mine;
                  }));
        }
        start.countDown();
        List<Long> handedOut = new ArrayList<>();
        for (Future<List<Long>> result : results) {
          handedOut.addAll(result.get(90, TimeUnit.SECONDS));
        }

        long total = (long) writers * writesEach;
        assertThat(handedOut).doesNotHaveDuplicates().hasSize((int) total);
        List<JournalEntry> journal = journal(alice.namespaceId(), 0, 10_000);
        assertThat(journal)
            .extracting(JournalEntry::seq)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(journal).extracting(JournalEntry::path).doesNotHaveDuplicates();
        assertThat(lastSeq(alice.namespaceId())).isEqualTo(total);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void the_journal_is_read_in_order_after_a_sequence_number_up_to_a_limit() {
      Home alice = newHome("alice");
      Home bob = newHome("bob");
      for (int i = 0; i < 5; i++) {
        store.write(
            tx -> {
              tx.journal().append(entry(alice, tx.namespaces().nextSeq(alice.namespaceId())));
              tx.journal().append(entry(bob, tx.namespaces().nextSeq(bob.namespaceId())));
              return null;
            });
      }

      assertThat(journal(alice.namespaceId(), 1, 2))
          .extracting(JournalEntry::seq)
          .containsExactly(2L, 3L);
      assertThat(journal(alice.namespaceId(), 3, 100))
          .extracting(JournalEntry::seq)
          .containsExactly(4L, 5L);
      assertThat(journal(alice.namespaceId(), 5, 100)).isEmpty();
      assertThat(journal(alice.namespaceId(), 0, 100))
          .allMatch(e -> e.namespaceId().equals(alice.namespaceId()));
    }

    @Test
    void a_journal_entry_keeps_every_field() {
      Home alice = newHome("alice");
      JournalEntry entry =
          new JournalEntry(
              alice.namespaceId(), 1, "node-1", JournalOp.MOVE, "rev-1", "/a/b c/d.txt", T0);
      store.write(
          tx -> {
            tx.journal().append(entry);
            return null;
          });

      assertThat(journal(alice.namespaceId(), 0, 10)).containsExactly(entry);
    }
  }

  // --- nodes ---------------------------------------------------------------------------------

  @Nested
  class Nodes {

    Home alice;

    @BeforeEach
    void user() {
      alice = newHome("alice");
    }

    @Test
    void an_inserted_node_is_found_by_id_by_name_key_and_among_its_siblings() {
      Node docs = insert(folderNode(alice, alice.rootId(), "Docs"));
      Node file = insert(fileNode(alice, docs.id(), "Report.txt"));

      assertThat(byId(docs.id())).contains(docs);
      assertThat(byId(file.id())).contains(file);
      assertThat(child(alice.namespaceId(), alice.rootId(), "docs")).contains(docs);
      assertThat(child(alice.namespaceId(), docs.id(), "report.txt")).contains(file);
      assertThat(child(alice.namespaceId(), alice.rootId(), "nope")).isEmpty();
      assertThat(children(alice.namespaceId(), alice.rootId())).containsExactly(docs);
      assertThat(children(alice.namespaceId(), docs.id())).containsExactly(file);
      assertThat(byId("nope")).isEmpty();
    }

    @Test
    void the_root_is_a_folder_without_a_parent() {
      Node root = byId(alice.rootId()).orElseThrow();

      assertThat(root.isRoot()).isTrue();
      assertThat(root.isFolder()).isTrue();
      assertThat(root.deleted()).isFalse();
    }

    @Test
    void children_are_scoped_to_their_namespace() {
      Home bob = newHome("bob");
      insert(folderNode(alice, alice.rootId(), "a"));

      assertThat(children(bob.namespaceId(), alice.rootId())).isEmpty();
      assertThat(child(bob.namespaceId(), alice.rootId(), "a")).isEmpty();
    }

    @Test
    void update_renames_moves_and_replaces_content() {
      Node a = insert(folderNode(alice, alice.rootId(), "a"));
      Node b = insert(folderNode(alice, alice.rootId(), "b"));
      Node file = insert(fileNode(alice, a.id(), "old.txt"));
      Node changed =
          new Node(
              file.id(),
              file.namespaceId(),
              b.id(),
              "New.txt",
              NodeKind.FILE,
              "rev-2",
              999,
              hash("new content"),
              file.createdAt(),
              T0.plusSeconds(10),
              false);

      store.write(
          tx -> {
            tx.nodes().update(changed, "new.txt");
            return null;
          });

      assertThat(byId(file.id())).contains(changed);
      assertThat(children(alice.namespaceId(), a.id())).isEmpty();
      assertThat(child(alice.namespaceId(), b.id(), "new.txt")).contains(changed);
      assertThat(child(alice.namespaceId(), a.id(), "old.txt")).isEmpty();
    }

    @Test
    void a_sibling_with_the_same_name_key_is_a_name_taken_conflict() {
      insert(folderNode(alice, alice.rootId(), "Docs"));
      Node twin = folderNode(alice, alice.rootId(), "DOCS");

      assertThatThrownBy(() -> insert(twin))
          .isInstanceOf(ConflictException.class)
          .extracting(MetadataStoreContract::type)
          .isEqualTo("name-taken");

      assertThat(byId(twin.id())).isEmpty();
      assertThat(children(alice.namespaceId(), alice.rootId())).hasSize(1);
    }

    @Test
    void renaming_onto_a_siblings_name_key_is_a_name_taken_conflict() {
      insert(folderNode(alice, alice.rootId(), "taken"));
      Node other = insert(fileNode(alice, alice.rootId(), "other"));
      Node renamed =
          new Node(
              other.id(),
              other.namespaceId(),
              other.parentId(),
              "TAKEN",
              other.kind(),
              other.revisionId(),
              other.size(),
              other.contentHash(),
              other.createdAt(),
              other.modifiedAt(),
              false);

      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        tx.nodes().update(renamed, "taken");
                        return null;
                      }))
          .isInstanceOf(ConflictException.class)
          .extracting(MetadataStoreContract::type)
          .isEqualTo("name-taken");

      assertThat(byId(other.id())).contains(other);
    }

    @Test
    void the_same_name_is_fine_in_another_folder_or_namespace() {
      Node a = insert(folderNode(alice, alice.rootId(), "a"));
      Node b = insert(folderNode(alice, alice.rootId(), "b"));
      Home bob = newHome("bob");

      insert(fileNode(alice, a.id(), "same"));
      insert(fileNode(alice, b.id(), "same"));
      insert(fileNode(bob, bob.rootId(), "a"));
    }

    @Test
    void a_deleted_node_does_not_block_its_name() {
      Node old = insert(fileNode(alice, alice.rootId(), "name.txt"));
      trash(alice.namespaceId(), old.id(), T0.plusSeconds(1));

      Node fresh = insert(fileNode(alice, alice.rootId(), "NAME.txt"));

      assertThat(child(alice.namespaceId(), alice.rootId(), "name.txt")).contains(fresh);
      assertThat(children(alice.namespaceId(), alice.rootId())).containsExactly(fresh);
      assertThat(byId(old.id()).orElseThrow().deleted()).isTrue();
    }

    @Test
    void trash_marks_a_whole_subtree_and_nothing_else() {
      Node a = insert(folderNode(alice, alice.rootId(), "a"));
      Node b = insert(folderNode(alice, a.id(), "b"));
      Node c = insert(fileNode(alice, b.id(), "c"));
      Node d = insert(fileNode(alice, a.id(), "d"));
      Node e = insert(fileNode(alice, alice.rootId(), "e"));
      Node sibling = insert(folderNode(alice, alice.rootId(), "a2"));
      Node cousin = insert(fileNode(alice, sibling.id(), "c"));

      int marked = trash(alice.namespaceId(), a.id(), T0);

      assertThat(marked).isEqualTo(4);
      for (Node gone : List.of(a, b, c, d)) {
        assertThat(byId(gone.id()).orElseThrow().deleted()).as(gone.name()).isTrue();
      }
      for (Node kept : List.of(e, sibling, cousin)) {
        assertThat(byId(kept.id()).orElseThrow().deleted()).as(kept.name()).isFalse();
      }
      assertThat(byId(alice.rootId()).orElseThrow().deleted()).isFalse();
      assertThat(children(alice.namespaceId(), alice.rootId()))
          .extracting(Node::name)
          .containsExactlyInAnyOrder("e", "a2");
      assertThat(children(alice.namespaceId(), b.id())).isEmpty();
      assertThat(trash(alice.namespaceId(), a.id(), T0)).isZero();
    }

    @Test
    void trash_leaves_other_namespaces_alone() {
      Home bob = newHome("bob");
      Node a = insert(folderNode(alice, alice.rootId(), "a"));

      assertThat(trash(bob.namespaceId(), a.id(), T0)).isZero();

      assertThat(byId(a.id()).orElseThrow().deleted()).isFalse();
    }
  }

  // --- revisions -----------------------------------------------------------------------------

  @Nested
  class Revisions {

    @Test
    void a_revision_keeps_its_manifest_in_order() {
      Home alice = newHome("alice");
      Manifest manifest =
          new Manifest(
              List.of(
                  new ChunkRef(hash("c1"), 100),
                  new ChunkRef(hash("c2"), 200),
                  new ChunkRef(hash("c1"), 100)));
      Revision revision =
          new Revision(
              Ids.newId(),
              alice.namespaceId(),
              Ids.newId(),
              manifest.size(),
              manifest.contentHash(),
              manifest,
              "device-1",
              T0);

      store.write(
          tx -> {
            tx.revisions().insert(revision);
            return null;
          });

      assertThat(revision(revision.id())).contains(revision);
      assertThat(revision("nope")).isEmpty();
    }

    @Test
    void an_empty_file_has_an_empty_manifest() {
      Home alice = newHome("alice");
      Revision empty =
          new Revision(
              Ids.newId(),
              alice.namespaceId(),
              Ids.newId(),
              0,
              Manifest.EMPTY.contentHash(),
              Manifest.EMPTY,
              null,
              T0);

      store.write(
          tx -> {
            tx.revisions().insert(empty);
            return null;
          });

      assertThat(revision(empty.id())).contains(empty);
    }
  }

  // --- transactions --------------------------------------------------------------------------

  @Nested
  class Transactions {

    @Test
    void a_write_returns_its_result_and_commits() {
      Home alice = newHome("alice");

      String name = store.write(tx -> tx.users().byId(alice.user().id()).orElseThrow().username());

      assertThat(name).isEqualTo("alice");
      assertThat(userCount()).isEqualTo(1);
    }

    @Test
    void a_failed_write_rolls_back_everything_it_did() {
      Home existing = newHome("existing");
      String namespaceId = Ids.newId();
      String rootId = Ids.newId();
      User user = new User(Ids.newId(), "doomed", "$hash", false, namespaceId, T0);
      Device device = new Device(Ids.newId(), user.id(), "phone", T0, T0, null);
      Node child = folderNode(existing, existing.rootId(), "doomed-folder");
      Revision revision =
          new Revision(
              Ids.newId(),
              existing.namespaceId(),
              child.id(),
              1,
              hash("x"),
              new Manifest(List.of(new ChunkRef(hash("x"), 1))),
              null,
              T0);
      ConflictException failure = new ConflictException("test", "fails on purpose");

      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        tx.users().insert(user);
                        tx.devices().insert(device, hash("doomed-token"));
                        tx.namespaces().insert(namespaceId, user.id(), rootId, T0);
                        tx.nodes()
                            .insert(
                                new Node(
                                    rootId,
                                    namespaceId,
                                    null,
                                    "",
                                    NodeKind.FOLDER,
                                    null,
                                    0,
                                    null,
                                    T0,
                                    T0,
                                    false),
                                "");
                        tx.nodes().insert(child, "doomed-folder");
                        tx.revisions().insert(revision);
                        long seq = tx.namespaces().nextSeq(existing.namespaceId());
                        tx.journal()
                            .append(
                                new JournalEntry(
                                    existing.namespaceId(),
                                    seq,
                                    child.id(),
                                    JournalOp.CREATE,
                                    null,
                                    "/doomed-folder",
                                    T0));
                        tx.devices().touch(device.id(), T0.plusSeconds(5));
                        throw failure;
                      }))
          .isSameAs(failure);

      store.read(
          tx -> {
            assertThat(tx.users().byId(user.id())).isEmpty();
            assertThat(tx.users().byUsername("doomed")).isEmpty();
            assertThat(tx.users().count()).isEqualTo(1);
            assertThat(tx.devices().byTokenHash(hash("doomed-token"))).isEmpty();
            assertThat(tx.nodes().byId(rootId)).isEmpty();
            assertThat(tx.nodes().byId(child.id())).isEmpty();
            assertThat(tx.nodes().children(existing.namespaceId(), existing.rootId())).isEmpty();
            assertThat(tx.revisions().byId(revision.id())).isEmpty();
            assertThat(tx.namespaces().lastSeq(existing.namespaceId())).isZero();
            assertThat(tx.journal().after(existing.namespaceId(), 0, 100)).isEmpty();
            return null;
          });
    }

    @Test
    void a_write_that_fails_on_a_constraint_rolls_back_what_came_before() {
      Home alice = newHome("alice");
      Node kept = insert(folderNode(alice, alice.rootId(), "kept"));
      Node before = folderNode(alice, alice.rootId(), "before");

      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        tx.nodes().insert(before, "before");
                        tx.namespaces().nextSeq(alice.namespaceId());
                        tx.nodes().insert(folderNode(alice, alice.rootId(), "KEPT"), "kept");
                        return null;
                      }))
          .isInstanceOf(ConflictException.class);

      assertThat(byId(before.id())).isEmpty();
      assertThat(byId(kept.id())).contains(kept);
      assertThat(lastSeq(alice.namespaceId())).isZero();
    }

    @Test
    void a_write_that_fails_with_any_exception_rolls_back() {
      Home alice = newHome("alice");
      Node node = folderNode(alice, alice.rootId(), "n");
      IllegalStateException failure = new IllegalStateException("a bug");

      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        tx.nodes().insert(node, "n");
                        throw failure;
                      }))
          .isSameAs(failure);

      assertThat(byId(node.id())).isEmpty();
    }

    @Test
    void the_store_is_usable_after_failed_writes() {
      Home alice = newHome("alice");
      for (int i = 0; i < 20; i++) {
        assertThatThrownBy(
                () ->
                    store.write(
                        tx -> {
                          tx.namespaces().nextSeq(alice.namespaceId());
                          throw new ConflictException("test", "again");
                        }))
            .isInstanceOf(ConflictException.class);
      }

      assertThat(nextSeq(alice.namespaceId())).isEqualTo(1);
    }
  }

  @Nested
  class Chunks_uploads_and_history {

    Home alice;
    Home bob;

    @BeforeEach
    void users() {
      alice = newHome("alice");
      bob = newHome("bob");
    }

    private java.util.Set<Sha256> held(String userId, List<ChunkRef> chunks) {
      java.util.Map<Sha256, Integer> wanted = new java.util.LinkedHashMap<>();
      chunks.forEach(c -> wanted.put(c.hash(), c.length()));
      return store.read(tx -> tx.chunks().heldBy(userId, wanted));
    }

    private boolean referenced(Sha256 hash, Instant now) {
      return store.read(tx -> tx.chunks().referenced(hash, now));
    }

    private Optional<PendingUpload> find(String userId, String uploadId, Instant now) {
      return store.read(tx -> tx.uploads().find(userId, uploadId, now));
    }

    private List<JournalEntry> forNodes(String namespaceId, List<String> ids, int limit) {
      return store.read(tx -> tx.journal().forNodes(namespaceId, ids, limit));
    }

    private Revision revisionOf(Home home, String nodeId, Instant at, ChunkRef... chunks) {
      Manifest manifest = new Manifest(List.of(chunks));
      return new Revision(
          Ids.newId(),
          home.namespaceId(),
          nodeId,
          manifest.size(),
          manifest.contentHash(),
          manifest,
          "device-1",
          at);
    }

    private PendingUpload upload(Home home, Instant expires, ChunkRef... chunks) {
      return new PendingUpload(
          Ids.newId(),
          home.user().id(),
          new UploadMetadata("/a/b.txt", null, null, true, "rev-1"),
          new Manifest(List.of(chunks)),
          T0,
          expires);
    }

    @Test
    void referenced_chunks_are_listed_in_pages_and_lead_to_the_live_files_using_them() {
      Node file = insert(fileNode(alice, alice.rootId(), "report.pdf"));
      Node gone = insert(fileNode(alice, alice.rootId(), "old.pdf"));
      ChunkRef shared = new ChunkRef(hash("shared"), 10);
      ChunkRef own = new ChunkRef(hash("own"), 10);
      ChunkRef third = new ChunkRef(hash("third"), 10);
      store.write(
          tx -> {
            tx.revisions().insert(revisionOf(alice, file.id(), T0, shared, own, shared));
            tx.revisions().insert(revisionOf(alice, gone.id(), T0, shared, third));
            return null;
          });
      trash(alice.namespaceId(), gone.id(), T0);

      List<Sha256> all = new ArrayList<>();
      Sha256 after = null;
      while (true) {
        Sha256 from = after;
        List<Sha256> page = store.read(tx -> tx.chunks().referencedAfter(from, 2));
        all.addAll(page);
        if (page.size() < 2) {
          break;
        }
        after = page.get(page.size() - 1);
      }
      assertThat(all).containsExactlyInAnyOrder(shared.hash(), own.hash(), third.hash());
      assertThat(all).isSorted();

      List<String> users = store.read(tx -> tx.chunks().filesUsing(shared.hash(), 10));
      assertThat(users).containsExactly("report.pdf (" + file.id() + ")");
      List<String> nobody = store.read(tx -> tx.chunks().filesUsing(hash("nobody"), 10));
      assertThat(nobody).isEmpty();
    }

    @Test
    void a_grant_is_seen_only_by_its_user_and_granting_twice_changes_nothing() {
      ChunkRef c1 = new ChunkRef(hash("c1"), 10);
      ChunkRef c2 = new ChunkRef(hash("c2"), 20);
      String a = alice.user().id();
      store.write(
          tx -> {
            tx.chunks().grant(a, List.of(c1, c2, c1), T0);
            tx.chunks().grant(a, List.of(c1), T0);
            return null;
          });
      assertThat(held(a, List.of(c1, new ChunkRef(hash("x"), 10)))).containsExactly(c1.hash());
      assertThat(held(bob.user().id(), List.of(c1, c2))).isEmpty();
      // A manifest that misstates a held chunk's length does not hold it.
      assertThat(held(a, List.of(new ChunkRef(c1.hash(), 4 << 20), c2))).containsExactly(c2.hash());
      store.write(
          tx -> {
            tx.chunks().forget(c1.hash());
            return null;
          });
      assertThat(held(a, List.of(c1, c2))).containsExactly(c2.hash());
    }

    @Test
    void a_chunk_is_referenced_by_a_revision_or_by_an_upload_until_it_expires() {
      ChunkRef inRevision = new ChunkRef(hash("in-revision"), 10);
      ChunkRef inUpload = new ChunkRef(hash("in-upload"), 10);
      Instant expires = T0.plusSeconds(60);
      store.write(
          tx -> {
            tx.revisions().insert(revisionOf(alice, Ids.newId(), T0, inRevision));
            tx.uploads().insert(upload(alice, expires, inUpload));
            return null;
          });
      boolean underLock =
          store.write(
              tx -> {
                tx.chunks().lockForCollection();
                return tx.chunks().referenced(inRevision.hash(), T0);
              });
      assertThat(underLock).isTrue();
      assertThat(referenced(inUpload.hash(), T0)).isTrue();
      assertThat(referenced(inUpload.hash(), expires)).isFalse();
      assertThat(referenced(hash("nothing"), T0)).isFalse();
    }

    @Test
    void an_upload_is_found_only_by_its_user_before_it_expires_and_expired_ones_are_deleted() {
      ChunkRef c = new ChunkRef(hash("c"), 5);
      PendingUpload live = upload(alice, T0.plusSeconds(60), c, c);
      PendingUpload stale = upload(alice, T0.plusSeconds(1));
      store.write(
          tx -> {
            tx.uploads().insert(live);
            tx.uploads().insert(stale);
            return null;
          });
      String a = alice.user().id();
      assertThat(find(a, live.id(), T0)).contains(live);
      assertThat(find(bob.user().id(), live.id(), T0)).isEmpty();
      assertThat(find(a, live.id(), T0.plusSeconds(60))).isEmpty();
      int deleted = store.write(tx -> tx.uploads().deleteExpired(T0.plusSeconds(2)));
      assertThat(deleted).isEqualTo(1);
      assertThat(find(a, stale.id(), T0)).isEmpty();
      store.write(
          tx -> {
            tx.uploads().delete(live.id());
            return null;
          });
      assertThat(find(a, live.id(), T0)).isEmpty();
    }

    @Test
    void a_files_revisions_are_listed_newest_first_without_manifests() {
      String nodeId = Ids.newId();
      Revision older = revisionOf(alice, nodeId, T0, new ChunkRef(hash("a"), 1));
      Revision newer = revisionOf(alice, nodeId, T0.plusSeconds(5), new ChunkRef(hash("b"), 2));
      store.write(
          tx -> {
            tx.revisions().insert(older);
            tx.revisions().insert(newer);
            tx.revisions().insert(revisionOf(alice, Ids.newId(), T0, new ChunkRef(hash("c"), 3)));
            return null;
          });
      List<Revision> listed = store.read(tx -> tx.revisions().forNode(alice.namespaceId(), nodeId));
      assertThat(listed).extracting(Revision::id).containsExactly(newer.id(), older.id());
      assertThat(listed.getFirst().size()).isEqualTo(2);
    }

    @Test
    void live_nodes_page_by_id_and_a_subtree_includes_deleted_descendants() {
      Node docs = insert(folderNode(alice, alice.rootId(), "Docs"));
      Node a = insert(fileNode(alice, docs.id(), "a.txt"));
      Node b = insert(fileNode(alice, docs.id(), "b.txt"));
      insert(fileNode(bob, bob.rootId(), "other.txt"));
      store.write(tx -> tx.nodes().trash(alice.namespaceId(), b.id(), T0));

      List<String> all = new ArrayList<>();
      String after = "";
      while (true) {
        String from = after;
        List<Node> page = store.read(tx -> tx.nodes().liveAfter(alice.namespaceId(), from, 2));
        page.forEach(n -> all.add(n.id()));
        if (page.size() < 2) {
          break;
        }
        after = page.getLast().id();
      }
      assertThat(all).containsExactlyInAnyOrder(alice.rootId(), docs.id(), a.id());
      assertThat(all).isSorted();
      List<String> subtree =
          store.read(tx -> tx.nodes().subtreeIds(alice.namespaceId(), docs.id()));
      assertThat(subtree).containsExactlyInAnyOrder(docs.id(), a.id(), b.id());
    }

    @Test
    void a_nodes_journal_is_read_oldest_first_keeping_the_newest_entries() {
      String x = Ids.newId();
      String y = Ids.newId();
      store.write(
          tx -> {
            for (String node : List.of(x, y, x, x)) {
              long seq = tx.namespaces().nextSeq(alice.namespaceId());
              tx.journal()
                  .append(
                      new JournalEntry(
                          alice.namespaceId(), seq, node, JournalOp.UPDATE, null, "/p" + seq, T0));
            }
            return null;
          });
      assertThat(forNodes(alice.namespaceId(), List.of(x), 2))
          .extracting(JournalEntry::seq)
          .containsExactly(3L, 4L);
      assertThat(forNodes(alice.namespaceId(), List.of(x, y), 10))
          .extracting(JournalEntry::seq)
          .containsExactly(1L, 2L, 3L, 4L);
      assertThat(forNodes(alice.namespaceId(), List.of(), 10)).isEmpty();
    }

    @Test
    void the_trash_lists_what_was_deleted_on_its_own_restores_it_and_purges_it() {
      Node docs = insert(folderNode(alice, alice.rootId(), "Docs"));
      Node inside = insert(fileNode(alice, docs.id(), "in.txt"));
      Node alone = insert(fileNode(alice, alice.rootId(), "alone.txt"));
      store.write(
          tx -> {
            tx.revisions()
                .insert(revisionOf(alice, alone.id(), T0, new ChunkRef(hash("alone"), 3)));
            tx.nodes().trash(alice.namespaceId(), docs.id(), T0);
            tx.nodes().trash(alice.namespaceId(), alone.id(), T0.plusSeconds(1));
            return null;
          });
      List<NodeRecords.Trashed> trashed = store.read(tx -> tx.nodes().trashed(alice.namespaceId()));
      assertThat(trashed).extracting(t -> t.node().id()).containsExactly(alone.id(), docs.id());
      assertThat(trashed.getLast().deletedAt()).isEqualTo(T0);

      store.write(
          tx -> {
            tx.nodes().restore(alice.namespaceId(), docs.id(), T0, alice.rootId(), "Back", "back");
            return null;
          });
      assertThat(byId(docs.id()).orElseThrow().deleted()).isFalse();
      assertThat(byId(docs.id()).orElseThrow().name()).isEqualTo("Back");
      assertThat(byId(inside.id()).orElseThrow().deleted()).isFalse();

      int purged = store.write(tx -> tx.nodes().purge(alice.namespaceId(), alone.id()));
      assertThat(purged).isEqualTo(1);
      assertThat(byId(alone.id())).isEmpty();
      List<Revision> left =
          store.read(tx -> tx.revisions().forNode(alice.namespaceId(), alone.id()));
      assertThat(left).isEmpty();
      List<NodeRecords.Trashed> after = store.read(tx -> tx.nodes().trashed(alice.namespaceId()));
      assertThat(after).isEmpty();
    }
  }

  @Nested
  class Batches_devices_and_retention {

    Home alice;

    @BeforeEach
    void user() {
      alice = newHome("alice");
    }

    private long journal(Node node, coffer.core.model.JournalOp op) {
      return store.write(
          tx -> {
            long seq = tx.namespaces().nextSeq(alice.namespaceId());
            tx.journal()
                .append(
                    new JournalEntry(
                        alice.namespaceId(), seq, node.id(), op, null, "/" + node.name(), T0));
            return seq;
          });
    }

    @Test
    void a_failed_savepoint_undoes_only_its_own_writes() {
      Node kept = folderNode(alice, alice.rootId(), "kept");
      Node undone = folderNode(alice, alice.rootId(), "undone");
      store.write(
          tx -> {
            tx.nodes().insert(kept, "kept");
            try {
              tx.savepoint(
                  t -> {
                    t.nodes().insert(undone, "undone");
                    t.nodes().insert(folderNode(alice, alice.rootId(), "KEPT"), "kept");
                    return null;
                  });
            } catch (coffer.core.error.ConflictException expected) {
              // the name clash inside the savepoint
            }
            tx.savepoint(t -> t.namespaces().nextSeq(alice.namespaceId()));
            return null;
          });
      assertThat(store.<Optional<Node>>read(tx -> tx.nodes().byId(kept.id()))).isPresent();
      assertThat(store.<Optional<Node>>read(tx -> tx.nodes().byId(undone.id()))).isEmpty();
      assertThat(store.<Long>read(tx -> tx.namespaces().lastSeq(alice.namespaceId()))).isEqualTo(1);
    }

    @Test
    void a_node_read_twice_in_one_transaction_shows_every_write_to_it_in_between() {
      Node docs = insert(folderNode(alice, alice.rootId(), "docs"));
      Node file = insert(fileNode(alice, docs.id(), "a.txt"));
      Node other = insert(folderNode(alice, alice.rootId(), "other"));
      Home bob = newHome("bob");
      store.write(
          tx -> {
            assertThat(tx.nodes().byId(file.id())).get().extracting(Node::name).isEqualTo("a.txt");
            tx.nodes().update(renamed(file, "b.txt"), "b.txt");
            assertThat(tx.nodes().byId(file.id())).get().extracting(Node::name).isEqualTo("b.txt");
            try {
              tx.savepoint(
                  t -> {
                    t.nodes().update(renamed(file, "c.txt"), "c.txt");
                    assertThat(t.nodes().byId(file.id()))
                        .get()
                        .extracting(Node::name)
                        .isEqualTo("c.txt");
                    throw new ConflictException("test", "undone on purpose");
                  });
            } catch (ConflictException expected) {
              // rolled back to before the savepoint
            }
            assertThat(tx.nodes().byId(file.id())).get().extracting(Node::name).isEqualTo("b.txt");

            tx.nodes().reparentChildren(alice.namespaceId(), docs.id(), other.id());
            assertThat(tx.nodes().byId(file.id()))
                .get()
                .extracting(Node::parentId)
                .isEqualTo(other.id());

            tx.nodes().trash(alice.namespaceId(), other.id(), T0);
            assertThat(tx.nodes().byId(file.id())).get().extracting(Node::deleted).isEqualTo(true);
            tx.nodes()
                .restore(alice.namespaceId(), other.id(), T0, alice.rootId(), "other", "other");
            assertThat(tx.nodes().byId(file.id())).get().extracting(Node::deleted).isEqualTo(false);

            tx.nodes().setMount(docs.id(), bob.namespaceId());
            assertThat(tx.nodes().byId(docs.id()))
                .get()
                .extracting(Node::mountNamespace)
                .isEqualTo(bob.namespaceId());
            tx.nodes().removeMount(docs.id());
            assertThat(tx.nodes().byId(docs.id())).isEmpty();

            tx.nodes().moveToNamespace(alice.namespaceId(), other.id(), bob.namespaceId(), true);
            assertThat(tx.nodes().byId(file.id()))
                .get()
                .extracting(Node::namespaceId)
                .isEqualTo(bob.namespaceId());
            return null;
          });
    }

    private static Node renamed(Node node, String name) {
      return new Node(
          node.id(),
          node.namespaceId(),
          node.parentId(),
          name,
          node.kind(),
          node.revisionId(),
          node.size(),
          node.contentHash(),
          node.createdAt(),
          node.modifiedAt(),
          node.deleted());
    }

    @Test
    void a_failed_savepoint_inside_another_undoes_only_the_inner_writes() {
      Node outer = folderNode(alice, alice.rootId(), "outer");
      Node inner = folderNode(alice, alice.rootId(), "inner");
      Node after = folderNode(alice, alice.rootId(), "after");
      store.write(
          tx ->
              tx.savepoint(
                  t -> {
                    t.nodes().insert(outer, "outer");
                    try {
                      t.savepoint(
                          u -> {
                            u.nodes().insert(inner, "inner");
                            u.nodes().insert(folderNode(alice, alice.rootId(), "OUTER"), "outer");
                            return null;
                          });
                    } catch (coffer.core.error.ConflictException expected) {
                      // the name clash inside the inner savepoint
                    }
                    t.nodes().insert(after, "after");
                    return null;
                  }));
      assertThat(store.<Optional<Node>>read(tx -> tx.nodes().byId(outer.id()))).isPresent();
      assertThat(store.<Optional<Node>>read(tx -> tx.nodes().byId(inner.id()))).isEmpty();
      assertThat(store.<Optional<Node>>read(tx -> tx.nodes().byId(after.id()))).isPresent();
    }

    @Test
    void an_operation_id_is_recorded_once_per_user_and_forgotten_after_its_time() {
      var applied = new coffer.server.metadata.OperationRecords.Applied("node-1", 201);
      store.write(
          tx -> {
            tx.operations().record(alice.user().id(), "op-1", applied, T0);
            return null;
          });
      assertThat(
              store.<Optional<coffer.server.metadata.OperationRecords.Applied>>read(
                  tx -> tx.operations().find(alice.user().id(), "op-1")))
          .contains(applied);
      assertThat(
              store.<Optional<coffer.server.metadata.OperationRecords.Applied>>read(
                  tx -> tx.operations().find("someone-else", "op-1")))
          .isEmpty();
      assertThatThrownBy(
              () ->
                  store.write(
                      tx -> {
                        tx.operations().record(alice.user().id(), "op-1", applied, T0);
                        return null;
                      }))
          .isInstanceOf(coffer.core.error.ConflictException.class);
      assertThat(store.<Integer>write(tx -> tx.operations().forgetBefore(T0.plusMillis(1))))
          .isEqualTo(1);
      assertThat(
              store.<Optional<coffer.server.metadata.OperationRecords.Applied>>read(
                  tx -> tx.operations().find(alice.user().id(), "op-1")))
          .isEmpty();
    }

    @Test
    void the_last_sequence_number_of_a_subtree_covers_everything_under_it() {
      Node folder = insert(folderNode(alice, alice.rootId(), "folder"));
      Node inside = insert(fileNode(alice, folder.id(), "inside.txt"));
      Node outside = insert(fileNode(alice, alice.rootId(), "outside.txt"));
      long created = journal(folder, coffer.core.model.JournalOp.CREATE);
      long changedInside = journal(inside, coffer.core.model.JournalOp.UPDATE);
      journal(outside, coffer.core.model.JournalOp.UPDATE);
      assertThat(
              store.<Long>read(
                  tx -> tx.journal().lastSeqInSubtree(alice.namespaceId(), folder.id())))
          .isEqualTo(changedInside)
          .isGreaterThan(created);
      Node empty = insert(folderNode(alice, alice.rootId(), "empty"));
      assertThat(
              store.<Long>read(
                  tx -> tx.journal().lastSeqInSubtree(alice.namespaceId(), empty.id())))
          .isZero();
    }

    @Test
    void a_device_remembers_the_last_cursor_it_presented() {
      coffer.core.model.Device device =
          new coffer.core.model.Device("dev-1", alice.user().id(), "laptop", T0, null, null);
      store.write(
          tx -> {
            tx.devices().insert(device, hash("token"));
            return null;
          });
      assertThat(
              store.<Optional<coffer.server.metadata.DeviceRecords.CursorPosition>>read(
                  tx -> tx.devices().cursor("dev-1")))
          .isEmpty();
      store.write(
          tx -> {
            tx.devices().recordCursor("dev-1", "c1.abc", T0.plusSeconds(1));
            tx.devices().recordCursor("dev-1", "c1.def", T0.plusSeconds(2));
            return null;
          });
      assertThat(
              store.<Optional<coffer.server.metadata.DeviceRecords.CursorPosition>>read(
                  tx -> tx.devices().cursor("dev-1")))
          .contains(
              new coffer.server.metadata.DeviceRecords.CursorPosition("c1.def", T0.plusSeconds(2)));
    }

    @Test
    void pruning_keeps_current_revisions_ones_current_since_the_cutoff_and_the_newest_few() {
      Node file = insert(fileNode(alice, alice.rootId(), "f.txt"));
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Manifest manifest = new Manifest(List.of(new ChunkRef(hash("c" + i), 10)));
        String id = i == 4 ? file.revisionId() : Ids.newId();
        ids.add(id);
        Revision revision =
            new Revision(
                id,
                alice.namespaceId(),
                file.id(),
                10,
                manifest.contentHash(),
                manifest,
                "d",
                T0.plusSeconds(i));
        store.write(
            tx -> {
              tx.revisions().insert(revision);
              return null;
            });
      }
      // Only revisions replaced before T0+2s may go (the one current from T0+1s to T0+2s was
      // still the file at the cutoff), and the two newest stay whatever their age.
      assertThat(store.<Integer>write(tx -> tx.revisions().prune(T0.plusSeconds(2), 2, 100)))
          .isEqualTo(1);
      assertThat(
              store.<List<Revision>>read(
                  tx -> tx.revisions().forNode(alice.namespaceId(), file.id())))
          .extracting(Revision::id)
          .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1));
      // The current revision stays even when nothing else protects it.
      assertThat(store.<Integer>write(tx -> tx.revisions().prune(T0.plusSeconds(60), 0, 100)))
          .isEqualTo(3);
      assertThat(
              store.<List<Revision>>read(
                  tx -> tx.revisions().forNode(alice.namespaceId(), file.id())))
          .extracting(Revision::id)
          .containsExactly(ids.get(4));
    }

    @Test
    void old_trash_is_found_across_namespaces_by_when_it_was_deleted() {
      Node folder = insert(folderNode(alice, alice.rootId(), "old"));
      insert(fileNode(alice, folder.id(), "inside.txt"));
      Node recent = insert(fileNode(alice, alice.rootId(), "recent.txt"));
      store.write(
          tx -> {
            tx.nodes().trash(alice.namespaceId(), folder.id(), T0);
            tx.nodes().trash(alice.namespaceId(), recent.id(), T0.plusSeconds(60));
            return null;
          });
      assertThat(
              store.<List<coffer.server.metadata.NodeRecords.Trashed>>read(
                  tx -> tx.nodes().trashedBefore(T0.plusSeconds(1), 10)))
          .extracting(t -> t.node().id())
          .containsExactly(folder.id());
    }
  }

  // --- public links --------------------------------------------------------------------------

  @Nested
  class Links {

    Home alice;
    Node file;

    @BeforeEach
    void user() {
      alice = newHome("alice");
      file = insert(fileNode(alice, alice.rootId(), "shared.txt"));
    }

    Link link(Home home, String nodeId, Instant at, Instant expiresAt, String passwordHash) {
      return new Link(
          Ids.newId(),
          home.namespaceId(),
          nodeId,
          home.user().id(),
          at,
          expiresAt,
          passwordHash,
          null);
    }

    void insertLink(Link link, Sha256 tokenHash) {
      store.write(
          tx -> {
            tx.links().insert(link, tokenHash);
            return null;
          });
    }

    Optional<Link> byToken(Sha256 tokenHash) {
      return store.read(tx -> tx.links().byTokenHash(tokenHash));
    }

    Optional<Link> linkById(String id) {
      return store.read(tx -> tx.links().byId(id));
    }

    List<Link> forNode(Home home, String nodeId) {
      return store.read(tx -> tx.links().forNode(home.namespaceId(), nodeId));
    }

    boolean revokeLink(Home home, String linkId, Instant at) {
      return store.write(tx -> tx.links().revoke(home.namespaceId(), linkId, at));
    }

    @Test
    void a_link_is_found_by_its_token_hash_and_by_id_with_every_field() {
      Link plain = link(alice, file.id(), T0, null, null);
      Link guarded = link(alice, file.id(), T0, T0.plusSeconds(3600), "$argon2id$x");
      insertLink(plain, hash("token-1"));
      insertLink(guarded, hash("token-2"));

      assertThat(byToken(hash("token-1"))).contains(plain);
      assertThat(byToken(hash("token-2"))).contains(guarded);
      assertThat(byToken(hash("token-3"))).isEmpty();
      assertThat(linkById(guarded.id())).contains(guarded);
      assertThat(linkById("nope")).isEmpty();
    }

    @Test
    void a_token_hash_is_stored_once() {
      insertLink(link(alice, file.id(), T0, null, null), hash("token"));
      Link twin = link(alice, file.id(), T0, null, null);

      assertThatThrownBy(() -> insertLink(twin, hash("token")))
          .isInstanceOf(ConflictException.class)
          .extracting(MetadataStoreContract::type)
          .isEqualTo("duplicate-link");
      assertThat(linkById(twin.id())).isEmpty();
    }

    @Test
    void a_nodes_links_are_listed_newest_first_revoked_ones_included() {
      Link old = link(alice, file.id(), T0, null, null);
      Link fresh = link(alice, file.id(), T0.plusSeconds(5), null, null);
      Node other = insert(fileNode(alice, alice.rootId(), "other.txt"));
      insertLink(old, hash("a"));
      insertLink(fresh, hash("b"));
      insertLink(link(alice, other.id(), T0, null, null), hash("c"));
      revokeLink(alice, old.id(), T0.plusSeconds(9));

      List<Link> links = forNode(alice, file.id());

      assertThat(links).extracting(Link::id).containsExactly(fresh.id(), old.id());
      assertThat(links.getLast().revokedAt()).isEqualTo(T0.plusSeconds(9));
      assertThat(forNode(newHome("bob"), file.id())).isEmpty();
    }

    @Test
    void revoking_marks_a_link_once_and_only_in_its_namespace() {
      Link shared = link(alice, file.id(), T0, null, null);
      insertLink(shared, hash("token"));
      Home bob = newHome("bob");
      Instant later = T0.plusSeconds(60);

      assertThat(revokeLink(bob, shared.id(), later)).isFalse();
      assertThat(byToken(hash("token")).orElseThrow().revoked()).isFalse();

      assertThat(revokeLink(alice, shared.id(), later)).isTrue();
      assertThat(byToken(hash("token")).orElseThrow().revokedAt()).isEqualTo(later);

      assertThat(revokeLink(alice, shared.id(), later.plusSeconds(1))).isFalse();
      assertThat(linkById(shared.id()).orElseThrow().revokedAt()).isEqualTo(later);
      assertThat(revokeLink(alice, "nope", later)).isFalse();
    }
  }

  // --- sharing -------------------------------------------------------------------------------

  /**
   * A namespace of its own (as a folder shared for the first time gets), owned by {@code owner}.
   */
  protected String newNamespace(Home owner) {
    String namespaceId = Ids.newId();
    String rootId = Ids.newId();
    store.write(
        tx -> {
          tx.namespaces().insert(namespaceId, owner.user().id(), rootId, T0);
          tx.nodes()
              .insert(
                  new Node(
                      rootId, namespaceId, null, "", NodeKind.FOLDER, null, 0, null, T0, T0, false),
                  "");
          return null;
        });
    return namespaceId;
  }

  @Nested
  class Shares {

    Home alice;
    Home bob;
    Home carol;
    String docs;

    @BeforeEach
    void users() {
      alice = newHome("alice");
      bob = newHome("bob");
      carol = newHome("carol");
      docs = newNamespace(alice);
    }

    private ShareRecords.Member member(String namespaceId, Home who, Role role, Instant at) {
      return new ShareRecords.Member(
          namespaceId, who.user().id(), role, Ids.newId(), alice.user().id(), at);
    }

    private ShareRecords.SharedFile sharedFile(Home with, Node file, Role role, Instant at) {
      return new ShareRecords.SharedFile(
          with.user().id(), file.id(), file.namespaceId(), role, alice.user().id(), at);
    }

    private void put(ShareRecords.Member m) {
      store.write(
          tx -> {
            tx.shares().putMember(m);
            return null;
          });
    }

    private void put(ShareRecords.SharedFile f) {
      store.write(
          tx -> {
            tx.shares().putFile(f);
            return null;
          });
    }

    private Optional<ShareRecords.Member> memberOf(String namespaceId, Home who) {
      return store.read(tx -> tx.shares().member(namespaceId, who.user().id()));
    }

    private List<ShareRecords.Member> members(String namespaceId) {
      return store.read(tx -> tx.shares().members(namespaceId));
    }

    private List<ShareRecords.Member> memberships(Home who) {
      return store.read(tx -> tx.shares().memberships(who.user().id()));
    }

    private Optional<ShareRecords.SharedFile> fileOf(Home who, Node file) {
      return store.read(tx -> tx.shares().file(who.user().id(), file.id()));
    }

    @Test
    void putting_a_member_again_changes_only_the_role_and_the_mount() {
      ShareRecords.Member first = member(docs, bob, Role.VIEWER, T0);
      put(first);
      assertThat(memberOf(docs, bob)).contains(first);

      ShareRecords.Member again =
          new ShareRecords.Member(
              docs, bob.user().id(), Role.EDITOR, "mount-2", carol.user().id(), T0.plusSeconds(9));
      put(again);

      assertThat(memberOf(docs, bob))
          .contains(
              new ShareRecords.Member(
                  docs, bob.user().id(), Role.EDITOR, "mount-2", first.addedBy(), T0));
      assertThat(members(docs)).hasSize(1);
    }

    @Test
    void a_member_whose_mount_is_gone_keeps_a_null_mount() {
      put(member(docs, bob, Role.EDITOR, T0));
      put(new ShareRecords.Member(docs, bob.user().id(), Role.EDITOR, null, "x", T0));

      assertThat(memberOf(docs, bob).orElseThrow().mountId()).isNull();
      assertThat(memberOf(docs, carol)).isEmpty();
    }

    @Test
    void members_and_memberships_are_listed_oldest_first_and_scoped() {
      String other = newNamespace(alice);
      put(member(docs, carol, Role.VIEWER, T0.plusSeconds(2)));
      put(member(docs, alice, Role.OWNER, T0));
      put(member(docs, bob, Role.EDITOR, T0.plusSeconds(1)));
      put(member(other, bob, Role.VIEWER, T0.minusSeconds(5)));

      assertThat(members(docs))
          .extracting(ShareRecords.Member::userId)
          .containsExactly(alice.user().id(), bob.user().id(), carol.user().id());
      assertThat(members(docs)).extracting(ShareRecords.Member::role).contains(Role.OWNER);
      assertThat(memberships(bob))
          .extracting(ShareRecords.Member::namespaceId)
          .containsExactly(other, docs);
      assertThat(memberships(carol))
          .extracting(ShareRecords.Member::role)
          .containsExactly(Role.VIEWER);
      assertThat(members(newNamespace(bob))).isEmpty();
    }

    @Test
    void removing_a_member_says_whether_there_was_one_and_touches_no_one_else() {
      put(member(docs, bob, Role.EDITOR, T0));
      put(member(docs, carol, Role.VIEWER, T0));

      assertThat(store.<Boolean>write(tx -> tx.shares().removeMember(docs, bob.user().id())))
          .isTrue();
      assertThat(store.<Boolean>write(tx -> tx.shares().removeMember(docs, bob.user().id())))
          .isFalse();

      assertThat(memberOf(docs, bob)).isEmpty();
      assertThat(memberships(bob)).isEmpty();
      assertThat(members(docs))
          .extracting(ShareRecords.Member::userId)
          .containsExactly(carol.user().id());
    }

    @Test
    void sharing_a_file_again_changes_its_role_and_namespace_not_when_it_was_shared() {
      Node file = insert(fileNode(alice, alice.rootId(), "notes.txt"));
      ShareRecords.SharedFile first = sharedFile(bob, file, Role.VIEWER, T0);
      put(first);
      assertThat(fileOf(bob, file)).contains(first);

      put(
          new ShareRecords.SharedFile(
              bob.user().id(), file.id(), docs, Role.EDITOR, "someone", T0.plusSeconds(3)));

      assertThat(fileOf(bob, file))
          .contains(
              new ShareRecords.SharedFile(
                  bob.user().id(), file.id(), docs, Role.EDITOR, first.addedBy(), T0));
      assertThat(fileOf(carol, file)).isEmpty();
    }

    @Test
    void a_files_shares_are_oldest_first_and_a_users_shared_files_newest_first() {
      Node older = insert(fileNode(alice, alice.rootId(), "older.txt"));
      Node newer = insert(fileNode(alice, alice.rootId(), "newer.txt"));
      put(sharedFile(carol, older, Role.VIEWER, T0.plusSeconds(1)));
      put(sharedFile(bob, older, Role.EDITOR, T0));
      put(sharedFile(bob, newer, Role.VIEWER, T0.plusSeconds(2)));

      assertThat(
              store.<List<ShareRecords.SharedFile>>read(tx -> tx.shares().fileShares(older.id())))
          .extracting(ShareRecords.SharedFile::userId)
          .containsExactly(bob.user().id(), carol.user().id());
      assertThat(
              store.<List<ShareRecords.SharedFile>>read(
                  tx -> tx.shares().filesSharedWith(bob.user().id())))
          .extracting(ShareRecords.SharedFile::nodeId)
          .containsExactly(newer.id(), older.id());
      assertThat(
              store.<List<ShareRecords.SharedFile>>read(
                  tx -> tx.shares().filesSharedWith(alice.user().id())))
          .isEmpty();
    }

    @Test
    void unsharing_a_file_says_whether_it_was_shared_and_leaves_other_shares() {
      Node file = insert(fileNode(alice, alice.rootId(), "notes.txt"));
      put(sharedFile(bob, file, Role.VIEWER, T0));
      put(sharedFile(carol, file, Role.VIEWER, T0));

      assertThat(store.<Boolean>write(tx -> tx.shares().removeFile(bob.user().id(), file.id())))
          .isTrue();
      assertThat(store.<Boolean>write(tx -> tx.shares().removeFile(bob.user().id(), file.id())))
          .isFalse();

      assertThat(fileOf(bob, file)).isEmpty();
      assertThat(fileOf(carol, file)).isPresent();
    }
  }

  @Nested
  class Shared_namespaces {

    Home alice;
    Home bob;
    String shared;

    @BeforeEach
    void users() {
      alice = newHome("alice");
      bob = newHome("bob");
      shared = newNamespace(alice);
    }

    private Revision revisionOf(Node file, ChunkRef chunk) {
      Manifest manifest = new Manifest(List.of(chunk));
      Revision revision =
          new Revision(
              Ids.newId(),
              file.namespaceId(),
              file.id(),
              manifest.size(),
              manifest.contentHash(),
              manifest,
              "device-1",
              T0);
      store.write(
          tx -> {
            tx.revisions().insert(revision);
            return null;
          });
      return revision;
    }

    private List<String> moveToNamespace(Node node, String to, boolean withNode) {
      return store.write(
          tx -> tx.nodes().moveToNamespace(node.namespaceId(), node.id(), to, withNode));
    }

    private String namespaceOf(Node node) {
      return byId(node.id()).orElseThrow().namespaceId();
    }

    private boolean hasMountIn(String namespaceId, Node node) {
      return store.read(tx -> tx.nodes().hasMountIn(namespaceId, node.id()));
    }

    private void setMount(Node node, String namespaceId) {
      store.write(
          tx -> {
            tx.nodes().setMount(node.id(), namespaceId);
            return null;
          });
    }

    private boolean readable(Sha256 chunk, Home who, String... namespaces) {
      return store.read(tx -> tx.chunks().readableBy(chunk, who.user().id(), List.of(namespaces)));
    }

    @Test
    void moving_what_is_live_under_a_folder_keeps_ids_parents_and_names_and_takes_revisions() {
      Node docs = insert(folderNode(alice, alice.rootId(), "Docs"));
      Node sub = insert(folderNode(alice, docs.id(), "sub"));
      Node file = insert(fileNode(alice, sub.id(), "report.txt"));
      Node gone = insert(fileNode(alice, docs.id(), "gone.txt"));
      Node outside = insert(fileNode(alice, alice.rootId(), "outside.txt"));
      Revision revision = revisionOf(file, new ChunkRef(hash("report"), 6));
      trash(alice.namespaceId(), gone.id(), T0);

      List<String> moved = moveToNamespace(docs, shared, false);

      assertThat(moved).containsExactlyInAnyOrder(sub.id(), file.id());
      assertThat(namespaceOf(docs)).isEqualTo(alice.namespaceId());
      assertThat(namespaceOf(outside)).isEqualTo(alice.namespaceId());
      Node movedFile = byId(file.id()).orElseThrow();
      assertThat(movedFile.namespaceId()).isEqualTo(shared);
      assertThat(movedFile.parentId()).isEqualTo(sub.id());
      assertThat(movedFile.name()).isEqualTo("report.txt");
      // What was in the trash stays in the trash it was deleted to.
      assertThat(byId(gone.id()).orElseThrow().namespaceId()).isEqualTo(alice.namespaceId());
      assertThat(revision(revision.id()).orElseThrow().namespaceId()).isEqualTo(shared);
      assertThat(store.<List<Revision>>read(tx -> tx.revisions().forNode(shared, file.id())))
          .extracting(Revision::id)
          .containsExactly(revision.id());
      assertThat(
              store.<List<Revision>>read(
                  tx -> tx.revisions().forNode(alice.namespaceId(), file.id())))
          .isEmpty();
    }

    @Test
    void moving_a_node_with_itself_takes_the_node_and_its_revisions_too() {
      Node docs = insert(folderNode(alice, alice.rootId(), "Docs"));
      Node file = insert(fileNode(alice, docs.id(), "a.txt"));
      Node loose = insert(fileNode(alice, alice.rootId(), "loose.txt"));
      Revision revision = revisionOf(loose, new ChunkRef(hash("loose"), 5));

      assertThat(moveToNamespace(docs, shared, true))
          .containsExactlyInAnyOrder(docs.id(), file.id());
      assertThat(moveToNamespace(loose, shared, true)).containsExactly(loose.id());

      assertThat(namespaceOf(docs)).isEqualTo(shared);
      assertThat(namespaceOf(file)).isEqualTo(shared);
      assertThat(revision(revision.id()).orElseThrow().namespaceId()).isEqualTo(shared);
      assertThat(children(alice.namespaceId(), alice.rootId())).isEmpty();
    }

    @Test
    void reparenting_moves_the_children_in_that_namespace_and_nothing_else() {
      Node docs = insert(folderNode(alice, alice.rootId(), "Docs"));
      Node a = insert(fileNode(alice, docs.id(), "a.txt"));
      Node b = insert(fileNode(alice, docs.id(), "b.txt"));
      Node other = insert(folderNode(alice, alice.rootId(), "Other"));
      Node c = insert(fileNode(alice, other.id(), "c.txt"));
      trash(alice.namespaceId(), b.id(), T0);
      moveToNamespace(docs, shared, false);
      String sharedRoot = rootId(shared);

      store.write(
          tx -> {
            tx.nodes().reparentChildren(shared, docs.id(), sharedRoot);
            return null;
          });

      assertThat(children(shared, sharedRoot)).extracting(Node::id).containsExactly(a.id());
      assertThat(byId(b.id()).orElseThrow().parentId()).isEqualTo(docs.id());
      assertThat(byId(c.id()).orElseThrow().parentId()).isEqualTo(other.id());
      assertThat(children(alice.namespaceId(), docs.id())).isEmpty();
    }

    @Test
    void a_folder_becomes_a_mount_and_an_ordinary_folder_again() {
      Node docs = insert(folderNode(alice, alice.rootId(), "Docs"));
      assertThat(byId(docs.id()).orElseThrow().mountNamespace()).isNull();

      setMount(docs, shared);
      Node mount = byId(docs.id()).orElseThrow();
      assertThat(mount.mountNamespace()).isEqualTo(shared);
      assertThat(mount.isMount()).isTrue();
      assertThat(child(alice.namespaceId(), alice.rootId(), "docs")).contains(mount);

      setMount(docs, null);
      assertThat(byId(docs.id()).orElseThrow().isMount()).isFalse();
    }

    @Test
    void a_mount_is_found_in_itself_and_under_any_folder_around_it_only() {
      Node outer = insert(folderNode(alice, alice.rootId(), "outer"));
      Node mount = insert(folderNode(alice, outer.id(), "mount"));
      Node sibling = insert(folderNode(alice, alice.rootId(), "sibling"));
      Node file = insert(fileNode(alice, sibling.id(), "f.txt"));
      setMount(mount, shared);

      assertThat(hasMountIn(alice.namespaceId(), mount)).isTrue();
      assertThat(hasMountIn(alice.namespaceId(), outer)).isTrue();
      assertThat(hasMountIn(alice.namespaceId(), byId(alice.rootId()).orElseThrow())).isTrue();
      assertThat(hasMountIn(alice.namespaceId(), sibling)).isFalse();
      assertThat(hasMountIn(alice.namespaceId(), file)).isFalse();
      assertThat(hasMountIn(bob.namespaceId(), outer)).isFalse();
    }

    @Test
    void removing_a_mount_deletes_it_for_good_and_leaves_ordinary_folders() {
      Node mount = insert(folderNode(bob, bob.rootId(), "Docs"));
      Node plain = insert(folderNode(bob, bob.rootId(), "Plain"));
      setMount(mount, shared);

      store.write(
          tx -> {
            tx.nodes().removeMount(mount.id());
            tx.nodes().removeMount(plain.id());
            return null;
          });

      assertThat(byId(mount.id())).isEmpty();
      assertThat(byId(plain.id())).isPresent();
      assertThat(children(bob.namespaceId(), bob.rootId()))
          .extracting(Node::id)
          .containsExactly(plain.id());
    }

    @Test
    void editors_may_not_share_a_namespace_until_its_owner_says_so() {
      String other = newNamespace(alice);
      assertThat(store.<Boolean>read(tx -> tx.namespaces().editorsCanShare(shared))).isFalse();

      store.write(
          tx -> {
            tx.namespaces().setEditorsCanShare(shared, true);
            return null;
          });
      assertThat(store.<Boolean>read(tx -> tx.namespaces().editorsCanShare(shared))).isTrue();
      assertThat(store.<Boolean>read(tx -> tx.namespaces().editorsCanShare(other))).isFalse();
      assertThat(store.<String>read(tx -> tx.namespaces().ownerId(shared)))
          .isEqualTo(alice.user().id());

      store.write(
          tx -> {
            tx.namespaces().setEditorsCanShare(shared, false);
            return null;
          });
      assertThat(store.<Boolean>read(tx -> tx.namespaces().editorsCanShare(shared))).isFalse();
    }

    @Test
    void a_chunk_the_user_holds_is_readable_whatever_namespaces_they_see() {
      ChunkRef held = new ChunkRef(hash("held"), 4);
      store.write(
          tx -> {
            tx.chunks().grant(bob.user().id(), List.of(held), T0);
            return null;
          });

      assertThat(readable(held.hash(), bob, bob.namespaceId())).isTrue();
      assertThat(readable(held.hash(), alice, alice.namespaceId())).isFalse();
    }

    @Test
    void a_chunk_is_readable_through_a_revision_in_a_namespace_the_user_sees() {
      Node inAlicesHome = fileNode(alice, rootId(shared), "in-shared.txt");
      Node file =
          insert(
              new Node(
                  inAlicesHome.id(),
                  shared,
                  inAlicesHome.parentId(),
                  inAlicesHome.name(),
                  NodeKind.FILE,
                  inAlicesHome.revisionId(),
                  inAlicesHome.size(),
                  inAlicesHome.contentHash(),
                  T0,
                  T0,
                  false));
      ChunkRef chunk = new ChunkRef(hash("in-shared"), 9);
      revisionOf(file, chunk);

      assertThat(readable(chunk.hash(), bob, bob.namespaceId(), shared)).isTrue();
      assertThat(readable(chunk.hash(), bob, bob.namespaceId())).isFalse();
    }

    @Test
    void a_chunk_is_readable_through_a_file_shared_with_the_user_and_not_otherwise() {
      Node file = insert(fileNode(alice, alice.rootId(), "notes.txt"));
      Node other = insert(fileNode(alice, alice.rootId(), "other.txt"));
      ChunkRef chunk = new ChunkRef(hash("notes"), 5);
      ChunkRef notShared = new ChunkRef(hash("other"), 5);
      revisionOf(file, chunk);
      revisionOf(other, notShared);
      store.write(
          tx -> {
            tx.shares()
                .putFile(
                    new ShareRecords.SharedFile(
                        bob.user().id(),
                        file.id(),
                        alice.namespaceId(),
                        Role.VIEWER,
                        alice.user().id(),
                        T0));
            return null;
          });

      assertThat(readable(chunk.hash(), bob, bob.namespaceId())).isTrue();
      assertThat(readable(notShared.hash(), bob, bob.namespaceId())).isFalse();
      assertThat(readable(hash("nowhere"), bob, bob.namespaceId(), shared)).isFalse();
    }
  }

  // --- server state and integrity -------------------------------------------------------------

  @Nested
  class ServerState {

    @Test
    void a_new_store_has_an_epoch_that_stays_until_changed() {
      String first = epoch();

      assertThat(first).isNotBlank().isEqualTo(epoch());
      store.write(
          tx -> {
            tx.server().setEpoch("next-history");
            return null;
          });
      assertThat(epoch()).isEqualTo("next-history");
    }

    private String epoch() {
      return store.read(tx -> tx.server().epoch());
    }
  }

  @Nested
  class Integrity {

    private List<coffer.server.metadata.IntegrityRecords.Finding> findings() {
      return store.read(tx -> tx.integrity().check(100));
    }

    @Test
    void a_consistent_store_has_no_findings() {
      Home home = newHome("ida");
      insert(folderNode(home, home.rootId(), "docs"));

      assertThat(findings()).isEmpty();
      IntegrityRecords.Counts counts = store.read(tx -> tx.integrity().counts());
      assertThat(counts.nodes()).isEqualTo(2);
      assertThat(counts.revisions()).isZero();
    }

    @Test
    void a_file_without_its_revision_and_a_node_without_its_parent_are_found() {
      Home home = newHome("ivo");
      Node file = insert(fileNode(home, home.rootId(), "a.txt"));
      Node stray = insert(folderNode(home, "no-such-parent", "stray"));

      assertThat(findings())
          .extracting(
              coffer.server.metadata.IntegrityRecords.Finding::kind,
              coffer.server.metadata.IntegrityRecords.Finding::subject)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("file-without-revision", file.id()),
              org.assertj.core.groups.Tuple.tuple("node-without-parent", stray.id()));
      assertThat(findings())
          .filteredOn(f -> f.kind().equals("node-without-parent"))
          .singleElement()
          .extracting(coffer.server.metadata.IntegrityRecords.Finding::detail)
          .isEqualTo("its parent no-such-parent does not exist");
    }

    @Test
    void a_node_under_a_file_is_found() {
      Home home = newHome("ike");
      Node file = insert(fileNode(home, home.rootId(), "f.txt"));
      Node child = insert(folderNode(home, file.id(), "inside"));

      assertThat(findings())
          .filteredOn(f -> f.kind().equals("parent-not-a-folder"))
          .extracting(coffer.server.metadata.IntegrityRecords.Finding::subject)
          .containsExactly(child.id());
    }
  }
}
