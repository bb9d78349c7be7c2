package coffer.client.sync;

import coffer.client.LocalChunks;
import coffer.client.sync.SyncIndex.LocalRecord;
import coffer.core.model.NodeKind;
import coffer.core.sync.SyncItem;
import coffer.core.sync.SyncTree;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Reads the sync folder into the local tree. A path keeps the node id the index knows it by; a path
 * that is new is matched to one that vanished by file identity (inode), then by content, so a
 * rename or move is recognized as one and never re-uploaded. A file's content hash is reused from
 * the index while its size, modification time and identity are unchanged.
 *
 * <p>Absence is not deletion: a folder that cannot be read keeps what the index knew under it, so
 * nothing there looks deleted.
 */
final class LocalScanner {

  /**
   * Files modified this recently are hashed again even when they look unchanged: a change within
   * the same timestamp tick would keep size and time. Two seconds covers the coarsest file systems
   * (FAT); where timestamps show sub-millisecond parts (ext4, XFS, btrfs, APFS, NTFS) a tick is a
   * few milliseconds of the kernel's clock, and a tenth of a second is ample.
   */
  private static final long RACY_COARSE = TimeUnit.SECONDS.toNanos(2);

  private static final long RACY_FINE = TimeUnit.MILLISECONDS.toNanos(100);

  /** What one scan found. */
  record Scan(
      SyncTree tree,
      List<LocalRecord> records,
      Map<String, LocalRecord> seen,
      Map<String, String> problems,
      Map<String, String> pathsById,
      Map<String, String> idsByPath) {}

  private record Seen(String path, NodeKind kind, long size, long mtime, String fileKey) {}

  private final Path root;
  private final Executor hashers;

  private final long racyNanos;

  private final java.time.Clock clock;

  LocalScanner(Path root, Executor hashers, java.time.Clock clock) {
    this.root = root;
    this.hashers = hashers;
    this.clock = clock;
    this.racyNanos = racyNanos(root);
  }

  /** How recently modified a file must be to be hashed again: by the folder's timestamp grain. */
  private static long racyNanos(Path root) {
    Path probe = null;
    try {
      probe = Files.createTempFile(root, ".coffer-probe", ".coffer-part");
      for (int i = 0; i < 3; i++) {
        Files.write(probe, new byte[] {(byte) i});
        long nanos = Files.getLastModifiedTime(probe).to(TimeUnit.NANOSECONDS);
        if (nanos % 1_000_000 != 0) {
          return RACY_FINE;
        }
      }
      return RACY_COARSE;
    } catch (IOException | RuntimeException e) {
      return RACY_COARSE;
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException ignored) {
          // a stray probe is ignored by name (*.coffer-part) and harmless
        }
      }
    }
  }

  Scan scan(String rootId, Map<String, LocalRecord> known) throws IOException {
    Ignores ignores = Ignores.of(root);
    Map<String, Seen> seen = new TreeMap<>();
    Map<String, String> problems = new TreeMap<>();
    List<String> unreadable = new ArrayList<>();
    Files.walkFileTree(
        root,
        new FileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String path = relative(dir);
            if (ignores.ignored(path, true)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            seen.put(path, new Seen(path, NodeKind.FOLDER, 0, 0, key(attrs)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String path = relative(file);
            if (ignores.ignored(path, false)) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
              problems.put(path, "symbolic links are not synced");
            } else if (attrs.isRegularFile()) {
              seen.put(
                  path,
                  new Seen(
                      path,
                      NodeKind.FILE,
                      attrs.size(),
                      attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                      key(attrs)));
            } else {
              problems.put(path, "only regular files and folders are synced");
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            String path = relative(file);
            if (!ignores.ignored(path, Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS))) {
              unreadable.add(path);
              problems.put(path, "cannot be read: " + e.getMessage());
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null && !dir.equals(root)) {
              String path = relative(dir);
              unreadable.add(path);
              problems.put(path, "cannot be read completely: " + e.getMessage());
            }
            return FileVisitResult.CONTINUE;
          }
        });

    Map<String, String> idByPath = new HashMap<>();
    Map<String, Hashed> content = new HashMap<>();
    List<Seen> unmatched = new ArrayList<>();
    Map<String, LocalRecord> vanished = new LinkedHashMap<>();
    for (LocalRecord r : known.values()) {
      if (!seen.containsKey(r.path()) || seen.get(r.path()).kind() != r.kind()) {
        vanished.put(r.path(), r);
      }
    }
    // What the index knew under an unreadable folder stays as it was: absence is not deletion.
    for (String dir : unreadable) {
      for (LocalRecord r : List.copyOf(vanished.values())) {
        if (r.path().equals(dir) || r.path().startsWith(dir + "/")) {
          vanished.remove(r.path());
          seen.put(r.path(), new Seen(r.path(), r.kind(), r.size(), r.mtime(), r.fileKey()));
          idByPath.put(r.path(), r.id());
          content.put(r.path(), Hashed.of(r));
        }
      }
    }
    long now = clock.instant().toEpochMilli() * 1_000_000;
    for (Seen s : seen.values()) {
      if (idByPath.containsKey(s.path())) {
        continue;
      }
      LocalRecord r = known.get(s.path());
      if (r != null && r.kind() == s.kind()) {
        idByPath.put(s.path(), r.id());
        if (s.kind() == NodeKind.FILE) {
          content.put(s.path(), unchanged(r, s, now, racyNanos) ? Hashed.of(r) : hash(s));
        }
      } else {
        unmatched.add(s);
      }
    }
    // A new path whose file identity vanished elsewhere is that node, moved.
    Map<String, LocalRecord> vanishedByKey = new HashMap<>();
    for (LocalRecord r : vanished.values()) {
      if (r.fileKey() != null) {
        vanishedByKey.putIfAbsent(r.kind() + r.fileKey(), r);
      }
    }
    List<Seen> stillNew = new ArrayList<>();
    for (Seen s : unmatched) {
      LocalRecord r = s.fileKey() == null ? null : vanishedByKey.remove(s.kind() + s.fileKey());
      if (r != null && vanished.remove(r.path()) != null) {
        idByPath.put(s.path(), r.id());
        if (s.kind() == NodeKind.FILE) {
          content.put(
              s.path(),
              r.size() == s.size() && r.mtime() == s.mtime() && r.chunks() != null
                  ? Hashed.of(r)
                  : hash(s));
        }
      } else {
        stillNew.add(s);
      }
    }
    // Then a new file whose content vanished elsewhere (a copy-and-delete move, another inode).
    Map<String, LocalRecord> vanishedByContent = new HashMap<>();
    for (LocalRecord r : vanished.values()) {
      if (r.kind() == NodeKind.FILE && r.content() != null) {
        vanishedByContent.putIfAbsent(r.content(), r);
      }
    }
    for (Seen s : stillNew) {
      if (s.kind() == NodeKind.FILE) {
        Hashed hashed = hash(s);
        content.put(s.path(), hashed);
        LocalRecord r = vanishedByContent.remove(hashed.content());
        if (r != null) {
          vanished.remove(r.path());
          idByPath.put(s.path(), r.id());
          continue;
        }
      }
      idByPath.put(s.path(), "local:" + s.path());
    }

    List<SyncItem> items = new ArrayList<>();
    List<LocalRecord> records = new ArrayList<>();
    Map<String, LocalRecord> all = new HashMap<>();
    Map<String, String> pathsById = new HashMap<>();
    Map<String, String> idsByPath = new HashMap<>();
    List<Seen> ordered = new ArrayList<>(seen.values());
    ordered.sort(Comparator.comparing(Seen::path));
    for (Seen s : ordered) {
      String id = idByPath.get(s.path());
      int slash = s.path().lastIndexOf('/');
      String parentPath = slash < 0 ? null : s.path().substring(0, slash);
      String parentId = parentPath == null ? rootId : idByPath.get(parentPath);
      if (parentId == null) {
        continue; // under something skipped
      }
      String name = s.path().substring(slash + 1);
      Hashed hashed = s.kind() == NodeKind.FILE ? content.get(s.path()) : null;
      String hash = hashed == null ? null : hashed.content();
      items.add(new SyncItem(id, parentId, name, s.kind(), hash, null));
      pathsById.put(id, s.path());
      idsByPath.put(s.path(), id);
      LocalRecord record =
          new LocalRecord(
              s.path(),
              id,
              s.kind(),
              s.size(),
              s.mtime(),
              s.fileKey(),
              hash,
              hashed == null ? null : hashed.chunks());
      all.put(s.path(), record);
      if (!id.startsWith("local:")) {
        records.add(record);
      }
    }
    return new Scan(new SyncTree(rootId, items), records, all, problems, pathsById, idsByPath);
  }

  /** What is at {@code path} now, for the executor's checks and records; null if nothing. */
  LocalRecord observe(String path, String id) throws IOException {
    Path file = root.resolve(path);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
    if (attrs.isDirectory()) {
      return new LocalRecord(path, id, NodeKind.FOLDER, 0, 0, key(attrs), null, null);
    }
    Seen s =
        new Seen(
            path,
            NodeKind.FILE,
            attrs.size(),
            attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
            key(attrs));
    Hashed hashed = hash(s);
    return new LocalRecord(
        path,
        id,
        NodeKind.FILE,
        s.size(),
        s.mtime(),
        s.fileKey(),
        hashed.content(),
        hashed.chunks());
  }

  /**
   * What is at {@code path} now without reading it: {@code content} and {@code chunks} are taken as
   * given.
   */
  LocalRecord stat(String path, String id, String content, String chunks) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs =
          Files.readAttributes(
              root.resolve(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
    NodeKind kind = attrs.isDirectory() ? NodeKind.FOLDER : NodeKind.FILE;
    return new LocalRecord(
        path,
        id,
        kind,
        kind == NodeKind.FILE ? attrs.size() : 0,
        kind == NodeKind.FILE ? attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) : 0,
        key(attrs),
        content,
        chunks);
  }

  private static boolean unchanged(LocalRecord r, Seen s, long now, long racyNanos) {
    return r.size() == s.size()
        && r.mtime() == s.mtime()
        && java.util.Objects.equals(r.fileKey(), s.fileKey())
        && r.content() != null
        && r.chunks() != null
        && now - s.mtime() > racyNanos;
  }

  /** A file's content hash and its chunk list (encoded), as the chunk locator keeps it. */
  record Hashed(String content, String chunks) {
    static Hashed of(LocalRecord r) {
      return new Hashed(r.content(), r.chunks());
    }
  }

  private Hashed hash(Seen s) {
    try {
      LocalChunks chunks = LocalChunks.chunksOf(root.resolve(s.path()), hashers);
      return new Hashed(chunks.contentHash(), chunks.encode());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + s.path(), e);
    }
  }

  private String relative(Path p) {
    return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
  }

  private static String key(BasicFileAttributes attrs) {
    Object key = attrs.fileKey();
    return key == null ? null : key.toString();
  }
}
