package coffer.cli;

import coffer.client.ApiException;
import coffer.client.CofferClient;
import coffer.client.PutResult;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description =
        "Upload a file. REMOTE defaults to the file's name in your root folder; a REMOTE that is a folder (or ends in /) receives the file inside it. An existing file gets a new version.")
final class PutCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LOCAL", description = "The file to upload.")
  Path local;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "REMOTE",
      description = "Where to put it, such as /Docs/report.pdf.")
  String remote;

  @Option(
      names = "--no-clobber",
      description = "Fail instead of adding a version to an existing file.")
  boolean noClobber;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(local)) {
      throw new UserException("no such file: " + local);
    }
    CofferClient client = SessionOptions.client();
    String name = local.getFileName().toString();
    String target = remote == null ? "/" + name : remote;
    if (target.endsWith("/") || isFolder(client, target)) {
      target = (target.endsWith("/") ? target : target + "/") + name;
    }
    PutResult put =
        client.putChunked(
            local,
            new UploadMetadata(target, null, null, !noClobber, null),
            ProgressBar.forTerminal(spec.commandLine().getErr(), name, quiet));
    FileMetadata file = put.file();
    if (!quiet) {
      spec.commandLine()
          .getOut()
          .printf(
              "%s  %s  (%d of %d chunks sent, %s)%n",
              file.path(),
              ProgressBar.human(file.size()),
              put.chunksSent(),
              put.chunks(),
              ProgressBar.human(put.bytesSent()));
    }
    return 0;
  }

  private static boolean isFolder(CofferClient client, String path) {
    try {
      return client.lookup(path).kind().equals("folder");
    } catch (ApiException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }
}
