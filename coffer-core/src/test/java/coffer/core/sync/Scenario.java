package coffer.core.sync;

import coffer.core.error.BadRequestException;
import coffer.core.name.NodeName;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A random, reproducible starting point for a sync: a base tree both sides agreed on, then
 * independent edits on each side (create, edit, move, rename, delete of files and folders). Names
 * come from a small pool, so sides often pick the same name, names differing only in case or
 * Unicode form, and each other's names in swaps; contents sometimes come from a small shared pool,
 * so both sides sometimes make the same change.
 */
final class Scenario {

  static final String ROOT = "root";

  private static final List<String> NAMES =
      List.of(
          "a",
          "A",
          "b",
          "B.txt",
          "b.txt",
          "c.md",
          "caf\u00e9",
          "cafe\u0301",
          "x",
          "y y",
          "z.tar.gz",
          ".hidden",
          "d");

  private static final List<String> INVALID = List.of("bad?", "CON", "trail.", "tab\tname");

  final long seed;
  final Random random;
  final SyncTree base;
  final MutableTree server;
  final MutableTree disk;
  final MutableTree synced;
  final boolean invalidNames;
  final List<String> edits = new ArrayList<>();
  private int counter;

  Scenario(long seed, int maxBase, int maxEdits) {
    this.seed = seed;
    this.random = new Random(seed);
    MutableTree start = new MutableTree(ROOT);
    int size = random.nextInt(maxBase + 1);
    for (int i = 0; i < size; i++) {
      String parentId = randomFolder(start);
      String name = freeName(start, parentId, null, true, false);
      if (name == null) {
        continue;
      }
      start.put(
          random.nextInt(3) == 0
              ? SyncItem.folder("s" + i, parentId, name)
              : SyncItem.file("s" + i, parentId, name, "b" + i, "v0." + i));
    }
    this.base = start.snapshot();
    this.server = start.copy();
    this.synced = start.copy();
    this.disk = new MutableTree(ROOT);
    for (SyncItem item : base.preOrder()) {
      String name =
          random.nextBoolean()
              ? Normalizer.normalize(item.name(), Normalizer.Form.NFD)
              : item.name();
      disk.put(new SyncItem(item.id(), item.parentId(), name, item.kind(), item.content(), null));
    }
    this.invalidNames = random.nextInt(5) == 0;
    int remoteEdits = random.nextInt(maxEdits + 1);
    for (int i = 0; i < remoteEdits; i++) {
      edit(server, true);
    }
    int localEdits = random.nextInt(maxEdits + 1);
    for (int i = 0; i < localEdits; i++) {
      edit(disk, false);
    }
  }

  private void edit(MutableTree tree, boolean remote) {
    String side = remote ? "remote" : "local";
    int dice = random.nextInt(100);
    List<SyncItem> items = new ArrayList<>(tree.items());
    items.sort((p, q) -> p.id().compareTo(q.id()));
    if (dice < 25 || items.isEmpty()) {
      String parentId = randomFolder(tree);
      String name = freeName(tree, parentId, null, remote, !remote);
      if (name != null) {
        String id = (remote ? "e" : "l") + ++counter;
        String content = newContent(remote);
        tree.put(SyncItem.file(id, parentId, name, content, remote ? "v" + counter : null));
        edits.add(side + " creates file " + tree.path(id) + " = " + content);
      }
    } else if (dice < 37) {
      String parentId = randomFolder(tree);
      String name = freeName(tree, parentId, null, remote, !remote);
      if (name != null) {
        String id = (remote ? "e" : "l") + ++counter;
        tree.put(SyncItem.folder(id, parentId, name));
        edits.add(side + " creates folder " + tree.path(id));
      }
    } else if (dice < 57) {
      List<SyncItem> files = items.stream().filter(i -> !i.isFolder()).toList();
      if (!files.isEmpty()) {
        SyncItem file = files.get(random.nextInt(files.size()));
        String content = newContent(remote);
        tree.put(file.withContent(content, remote ? "v" + ++counter : null));
        edits.add(side + " edits " + tree.path(file.id()) + " = " + content);
      }
    } else if (dice < 82) {
      SyncItem item = items.get(random.nextInt(items.size()));
      List<String> folders = new ArrayList<>();
      folders.add(ROOT);
      for (SyncItem f : items) {
        if (f.isFolder() && !f.id().equals(item.id()) && !tree.isAncestor(item.id(), f.id())) {
          folders.add(f.id());
        }
      }
      String parentId = folders.get(random.nextInt(folders.size()));
      int how = random.nextInt(10);
      String name =
          how < 4
              ? item.name()
              : how < 6
                  ? caseVariant(item.name())
                  : freeName(tree, parentId, item.id(), remote, !remote);
      if (name == null || (remote && !tree.sameKey(parentId, name, item.id()).isEmpty())) {
        return;
      }
      if (!remote && tree.childNamed(parentId, name) != null) {
        return;
      }
      String from = tree.path(item.id());
      tree.put(item.withLocation(parentId, remote ? NodeName.of(name).value() : name));
      edits.add(side + " moves " + from + " to " + tree.path(item.id()));
    } else {
      SyncItem item = items.get(random.nextInt(items.size()));
      edits.add(side + " deletes " + tree.path(item.id()));
      tree.removeSubtree(item.id());
    }
  }

  private String newContent(boolean remote) {
    return random.nextInt(5) == 0 ? "p" + random.nextInt(3) : (remote ? "R" : "L") + ++counter;
  }

  private static String caseVariant(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetter(c)) {
        char flipped =
            Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        return name.substring(0, i) + flipped + name.substring(i + 1);
      }
    }
    return name;
  }

  /**
   * A name for a new child of {@code parentId}: on the server, NFC and free by key; on disk, as a
   * case-sensitive Linux disk allows, free only exactly, and now and then unsyncable.
   */
  private String freeName(
      MutableTree tree, String parentId, String moving, boolean remote, boolean local) {
    for (int attempt = 0; attempt < 10; attempt++) {
      String name;
      if (local && invalidNames && random.nextInt(8) == 0) {
        name = INVALID.get(random.nextInt(INVALID.size()));
      } else {
        name = NAMES.get(random.nextInt(NAMES.size()));
      }
      if (remote) {
        name = NodeName.of(name).value();
      }
      boolean clashAllowed = local && random.nextInt(8) == 0;
      boolean free =
          clashAllowed
              ? tree.childNamed(parentId, name) == null
              : tree.sameKey(parentId, name, moving).isEmpty();
      if (free) {
        return name;
      }
    }
    return null;
  }

  private String randomFolder(MutableTree tree) {
    List<String> folders = new ArrayList<>();
    folders.add(ROOT);
    List<SyncItem> items = new ArrayList<>(tree.items());
    items.sort((p, q) -> p.id().compareTo(q.id()));
    for (SyncItem item : items) {
      if (item.isFolder()) {
        folders.add(item.id());
      }
    }
    return folders.get(random.nextInt(folders.size()));
  }

  /** The local ids the planner leaves alone: unsyncable names and everything under them. */
  static Set<String> unsyncable(MutableTree disk) {
    Set<String> skipped = new HashSet<>();
    for (SyncItem item : disk.snapshot().preOrder()) {
      if (skipped.contains(item.parentId())) {
        skipped.add(item.id());
        continue;
      }
      try {
        NodeName.of(item.name());
      } catch (BadRequestException refused) {
        skipped.add(item.id());
      }
    }
    return skipped;
  }
}
