package coffer.sim;

import coffer.client.ApiException;
import coffer.client.ServerApi;
import coffer.core.api.AccountInfo;
import coffer.core.api.BatchOperation;
import coffer.core.api.BatchResult;
import coffer.core.api.ChangesPage;
import coffer.core.api.ChunkTransfer;
import coffer.core.api.Contents;
import coffer.core.api.FileManifest;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadRequest;
import coffer.core.api.UploadSession;
import coffer.core.error.CofferException;
import coffer.core.hash.Sha256;
import coffer.server.auth.Principal;
import coffer.server.http.BatchRoutes;
import coffer.server.http.Problems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One device's connection to the simulated server: each endpoint calls the server's service as the
 * HTTP handler would, and failures become what the HTTP client would see ({@link ApiException} for
 * a refusal, {@link UncheckedIOException} for an unreachable server). The chaos may lose the
 * request, lose the answer after the server acted, crash the device around the call, or let another
 * device act first.
 */
final class SimApi implements ServerApi {

  /** Lets other devices act in the middle of this one's sync. */
  interface Interference {
    void interfere(String device);
  }

  private final SimServer server;
  private final Principal principal;
  private final String device;
  private final Chaos chaos;
  private final Interference interference;
  private boolean offline;

  SimApi(SimServer server, Principal principal, String device, Chaos chaos, Interference i) {
    this.server = server;
    this.principal = principal;
    this.device = device;
    this.chaos = chaos;
    this.interference = i;
  }

  void offline(boolean offline) {
    this.offline = offline;
  }

  boolean offline() {
    return offline;
  }

  @Override
  public URI server() {
    return URI.create("sim://server/");
  }

  @Override
  public AccountInfo account() {
    return read(() -> server.auth.account(principal));
  }

  @Override
  public FileMetadata lookup(String path) {
    return read(() -> server.files.lookup(principal, path));
  }

  @Override
  public ChangesPage changes(String cursor) {
    return call("changes", false, () -> server.changes.changes(principal, cursor, 50));
  }

  @Override
  public boolean awaitChanges(String cursor, Duration timeout) {
    throw new UnsupportedOperationException("the simulation runs sync rounds, not the daemon");
  }

  @Override
  public List<BatchResult> batch(List<BatchOperation> operations) {
    return call(
        "batch",
        true,
        () ->
            server.batches.apply(principal, operations).stream()
                .map(outcome -> BatchRoutes.result(outcome, "/api/v1/batch"))
                .toList());
  }

  @Override
  public UploadSession startUpload(UploadRequest request) {
    return call("start upload", true, () -> server.uploads.begin(principal, request));
  }

  @Override
  public boolean putChunk(ChunkTransfer transfer, byte[] data) throws IOException {
    try {
      return call(
          "put chunk",
          true,
          () -> {
            server.uploads.receive(
                principal.userId(),
                Sha256.parse(transfer.hash()),
                transfer.length(),
                new ByteArrayInputStream(data));
            return true;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public FileMetadata commitUpload(String uploadId) {
    return call("commit upload", true, () -> server.uploads.commit(principal, uploadId));
  }

  @Override
  public FileManifest manifest(String id, String revision) {
    return call("manifest", true, () -> server.uploads.manifest(principal, id, revision));
  }

  @Override
  public void contents(List<Contents.Ref> files, Contents.Sink sink) throws IOException {
    List<Contents.Header> headers = new java.util.ArrayList<>();
    List<byte[]> bodies = new java.util.ArrayList<>();
    call(
        "contents",
        true,
        () -> {
          try {
            server.uploads.contents(
                principal,
                files,
                new coffer.server.files.UploadService.ContentSink() {
                  @Override
                  public void file(
                      FileMetadata file, List<coffer.core.api.ChunkInfo> chunks, byte[] data) {
                    headers.add(Contents.Header.of(file, chunks));
                    bodies.add(data);
                  }

                  @Override
                  public void refused(String id, CofferException problem) {
                    headers.add(Contents.Header.refused(id, Problems.of(problem, "contents")));
                    bodies.add(null);
                  }
                });
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
    for (int i = 0; i < headers.size(); i++) {
      sink.accept(headers.get(i), bodies.get(i));
    }
  }

  @Override
  public byte[] fetchChunk(ChunkTransfer chunk) throws IOException {
    try {
      return call(
          "fetch chunk",
          true,
          () -> server.uploads.chunk(principal.userId(), Sha256.parse(chunk.hash())));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** A call made before the attempt's first scan: never disturbed, so the scan always happens. */
  private <T> T read(Supplier<T> work) {
    return call("read", false, work);
  }

  private <T> T call(String name, boolean arms, Supplier<T> work) {
    if (offline) {
      throw new UncheckedIOException(new IOException("simulated: " + device + " is offline"));
    }
    if (arms) {
      chaos.arm(true);
    }
    if (arms && chaos.interfere()) {
      interference.interfere(device);
    }
    chaos.maybeCrash("before " + name);
    chaos.maybeFailBefore(name);
    T answer;
    try {
      answer = work.get();
    } catch (CofferException e) {
      throw new ApiException(Problems.status(e), Problems.of(e, name));
    }
    chaos.maybeCrash("after " + name);
    chaos.maybeFailAfter(name);
    return answer;
  }
}
