package coffer.client.sync;

import coffer.client.ServerApi;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the sync loop when either side changes: a recursive watch of the folder (debounced, so a
 * burst of writes becomes one round) and a long-poll on the change feed. Both are hints; the
 * periodic rescan the loop does anyway catches whatever they miss (an overflowed event queue, a
 * watch limit, a dropped connection).
 */
final class ChangeSignals implements AutoCloseable {

  /** Quiet time after the last local event before a round starts. */
  private static final Duration DEBOUNCE = Duration.ofMillis(50);

  /** The longest a burst of events may delay a round. */
  private static final Duration MAX_SETTLE = Duration.ofMillis(500);

  private final Semaphore changed = new Semaphore(0);
  private final WatchService watcher;
  private final Thread local;
  private final Thread remote;
  private volatile boolean closed;

  ChangeSignals(ServerApi client, Path root, SyncIndex index) {
    WatchService service;
    try {
      service = FileSystems.getDefault().newWatchService();
      registerAll(service, root);
    } catch (IOException e) {
      service = null; // the periodic rescan still works
    }
    this.watcher = service;
    this.local = Thread.ofPlatform().daemon().name("sync-watch").start(() -> watch(root));
    this.remote = Thread.ofPlatform().daemon().name("sync-feed").start(() -> follow(client, index));
  }

  /** Whether the folder is being watched (else only rescans notice local changes). */
  boolean watching() {
    return watcher != null;
  }

  /**
   * Waits until something changed on either side, or {@code timeout} passes; true when something
   * changed.
   */
  boolean awaitChange(Duration timeout) throws InterruptedException {
    if (!changed.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    // Let a burst settle, then take every signal it raised; never wait more than a moment, so a
    // steady stream of changes still syncs.
    long until = System.nanoTime() + MAX_SETTLE.toNanos();
    do {
      changed.drainPermits();
    } while (System.nanoTime() < until
        && changed.tryAcquire(DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS));
    return true;
  }

  private void watch(Path root) {
    if (watcher == null) {
      return;
    }
    try {
      while (!closed) {
        WatchKey key = watcher.take();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
              && key.watchable() instanceof Path dir
              && event.context() instanceof Path name
              && Files.isDirectory(dir.resolve(name))) {
            registerAll(watcher, dir.resolve(name));
          }
        }
        key.reset();
        changed.release();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (IOException e) {
      // a folder vanished while being registered: the next rescan covers it
    }
  }

  private void follow(ServerApi client, SyncIndex index) {
    while (!closed) {
      try {
        String cursor = index.meta("cursor").orElse(null);
        if (cursor == null) {
          changed.release(); // the first round has not read the feed yet
          index.awaitCursorMoved(null, Duration.ofSeconds(30));
        } else if (client.awaitChanges(cursor, Duration.ofSeconds(60))) {
          changed.release();
          // Ask again only once the sync loop has read past this cursor, or the answer would
          // repeat at once.
          index.awaitCursorMoved(cursor, Duration.ofSeconds(30));
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        try {
          Thread.sleep(2000); // offline: the sync loop reports it and backs off
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private static void registerAll(WatchService service, Path start) throws IOException {
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            dir.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_DELETE,
                StandardWatchEventKinds.ENTRY_MODIFY);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    local.interrupt();
    remote.interrupt();
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
