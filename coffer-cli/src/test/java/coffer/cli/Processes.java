package coffer.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the built {@code coffer.jar} as real processes: the server and CLI commands. */
final class Processes {

  private static final Pattern URL = Pattern.compile("running at (http://\\S+)");

  private Processes() {}

  static Path jar() {
    Path jar = Path.of(System.getProperty("coffer.jar", "target/coffer.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the jar first (mvn package): " + jar);
    }
    return jar;
  }

  static List<String> java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    classArchive().ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
    command.add("-Xlog:cds=off"); // an archive that does not fit is ignored, never printed
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static java.util.Optional<Path> archive;

  /**
   * A class-data archive of what a CLI command loads (picocli, Jackson, the HTTP client), made once
   * from a warm-up command: every later process starts several hundred milliseconds sooner. Without
   * one (it could not be made), processes simply start without it.
   */
  private static synchronized java.util.Optional<Path> classArchive() {
    if (archive == null) {
      Path file = jar().toAbsolutePath().resolveSibling("coffer-it.jsa");
      try {
        Files.deleteIfExists(file);
        Process warmUp =
            new ProcessBuilder(
                    javaBinary(),
                    "-XX:ArchiveClassesAtExit=" + file,
                    "-Xlog:cds=off",
                    "-jar",
                    jar().toString(),
                    "signup",
                    "--server",
                    "http://127.0.0.1:9",
                    "--user",
                    "warm-up",
                    "--password-stdin")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        warmUp.getOutputStream().write("warm-up-password\n".getBytes(StandardCharsets.UTF_8));
        warmUp.getOutputStream().close();
        boolean done = warmUp.waitFor(60, TimeUnit.SECONDS);
        archive =
            done && Files.isRegularFile(file)
                ? java.util.Optional.of(file)
                : java.util.Optional.empty();
      } catch (IOException e) {
        archive = java.util.Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        archive = java.util.Optional.empty();
      }
    }
    return archive;
  }

  /** A server process on a free port; {@link #url()} is known once it printed its address. */
  record Server(Process process, String url) implements AutoCloseable {
    static Server start(Path data, String... extra) throws IOException, InterruptedException {
      return start(data, Map.of(), extra);
    }

    /** A server process with {@code env} added to its environment. */
    static Server start(Path data, Map<String, String> env, String... extra)
        throws IOException, InterruptedException {
      List<String> args = new ArrayList<>(List.of("server", "--data", data.toString()));
      if (!List.of(extra).contains("--port")) {
        args.addAll(List.of("--port", "0"));
      }
      args.addAll(List.of(extra));
      ProcessBuilder builder =
          new ProcessBuilder(java(args.toArray(String[]::new))).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      BlockingQueue<String> found = new LinkedBlockingQueue<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher m = URL.matcher(line);
                    if (m.find()) {
                      found.add(m.group(1));
                    }
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              });
      String url = found.poll(60, TimeUnit.SECONDS);
      if (url == null) {
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start within 60 s");
      }
      return new Server(process, url);
    }

    /** SIGKILL: no shutdown hooks, no flushing, as in a power cut of the process. */
    void kill() {
      process.destroyForcibly();
      await();
    }

    @Override
    public void close() {
      process.destroy();
      if (!await()) {
        kill();
      }
    }

    private boolean await() {
      try {
        return process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** What a finished CLI command printed and returned. */
  record Result(int exit, String out, String err) {}

  /** Runs one CLI command with {@code COFFER_HOME} set, feeding {@code stdin}. */
  static Result cli(Path home, Path workDir, String stdin, String... args)
      throws IOException, InterruptedException {
    return cli(home, workDir, Map.of(), stdin, args);
  }

  /** Runs one CLI command with {@code extraEnv} added to its environment. */
  static Result cli(
      Path home, Path workDir, Map<String, String> extraEnv, String stdin, String... args)
      throws IOException, InterruptedException {
    return run(java(args), home, workDir, extraEnv, stdin, args);
  }

  /**
   * Runs one CLI command in a mount namespace of its own where {@code dir} is a fresh file system
   * of {@code bytes} (tmpfs): a full disk, for real, that vanishes with the process. Needs root (as
   * the build machine and CI run).
   */
  static Result cliOnSmallDisk(Path dir, long bytes, Path home, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t tmpfs -o size=" + bytes + " tmpfs \"$0\" && exec \"$@\"",
                dir.toString()));
    command.addAll(java(args));
    return run(command, home, home, Map.of(), null, args);
  }

  /** Runs one CLI command as another (unprivileged) user; needs root. */
  static Result cliAs(int uid, Path home, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
    command.addAll(java(args));
    return run(command, home, home, Map.of(), null, args);
  }

  private static Result run(
      List<String> command,
      Path home,
      Path workDir,
      Map<String, String> extraEnv,
      String stdin,
      String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    env.putAll(extraEnv);
    env.put("COFFER_HOME", home.toString());
    env.remove("COFFER_SERVER");
    Path out = Files.createTempFile("coffer-out", ".txt");
    Path err = Files.createTempFile("coffer-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!process.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("coffer " + String.join(" ", args) + " did not finish");
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return result;
  }
}
