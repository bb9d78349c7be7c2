package coffer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end scenarios of the sync service against a running server (see {@code
 * bench/sync-service.sh}, which starts one): long-poll wake-up latency, commit throughput batched
 * and one by one, change-feed listing throughput, and idle long-polls held at once.
 *
 * <p>Usage: {@code java -cp coffer-bench.jar coffer.bench.SyncServiceScenarios URL SCENARIO [N]}
 * with SCENARIO one of {@code wakeup}, {@code commits}, {@code listing}, {@code idle}, {@code
 * load}.
 */
public final class SyncServiceScenarios {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final HttpClient http;
  private final String token;

  private SyncServiceScenarios(URI server, String user) throws Exception {
    this.server = server;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    this.token = signUp(user);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: SyncServiceScenarios URL wakeup|commits|listing|idle|load [N]");
      System.exit(2);
    }
    URI url = URI.create(args[0]);
    String user = "bench" + System.nanoTime() % 1_000_000;
    SyncServiceScenarios bench = new SyncServiceScenarios(url, user);
    int n = args.length > 2 ? Integer.parseInt(args[2]) : -1;
    switch (args[1]) {
      case "wakeup" -> bench.wakeup(n < 0 ? 1000 : n);
      case "commits" -> bench.commits(n < 0 ? 1000 : n);
      case "listing" -> bench.listing(n < 0 ? 1_000_000 : n);
      case "idle" -> bench.idle(n < 0 ? 10_000 : n);
      case "load" -> bench.load(n < 0 ? 10_000 : n);
      default -> throw new IllegalArgumentException("unknown scenario " + args[1]);
    }
  }

  // --- scenarios -------------------------------------------------------------------------------

  /** Device B long-polls; device A commits; the time from A's request to B's answer. */
  void wakeup(int trials) throws Exception {
    String cursor = latestCursor();
    long[] micros = new long[trials];
    ExecutorService poller = Executors.newVirtualThreadPerTaskExecutor();
    for (int i = 0; i < trials + 50; i++) {
      String from = cursor;
      Future<Long> woke =
          poller.submit(
              () -> {
                JsonNode signal =
                    send("GET", "/api/v1/changes/wait?timeout=30&cursor=" + enc(from), token, null);
                if (!signal.path("changed").asBoolean()) {
                  throw new IllegalStateException("long-poll timed out");
                }
                return System.nanoTime();
              });
      awaitParked();
      long start = System.nanoTime();
      batch(List.of(op("mkdir", "/wake/" + i, Map.of("parents", true))));
      long end = woke.get();
      if (i >= 50) { // the first 50 warm up the JIT and connections
        micros[i - 50] = (end - start) / 1000;
      }
      cursor = latestCursor(cursor);
    }
    poller.close();
    Arrays.sort(micros);
    System.out.printf(
        "wake-up, commit request sent -> long-poll answered, %d trials: p50 %.1f ms, p95 %.1f ms,"
            + " p99 %.1f ms, max %.1f ms%n",
        trials,
        pct(micros, 50) / 1000.0,
        pct(micros, 95) / 1000.0,
        pct(micros, 99) / 1000.0,
        micros[micros.length - 1] / 1000.0);
  }

  /** {@code n} small files committed one batch each, then {@code n} in one batch. */
  void commits(int n) throws Exception {
    for (int warm = 0; warm < 100; warm++) {
      batch(List.of(put("/warm/" + warm + ".txt", "w" + warm)));
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      batch(List.of(put("/single/" + i + ".txt", "file " + i)));
    }
    double single = n / ((System.nanoTime() - t0) / 1e9);
    List<Map<String, Object>> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ops.add(put("/batched/" + i + ".txt", "file " + i));
    }
    long t1 = System.nanoTime();
    batch(ops);
    double batched = n / ((System.nanoTime() - t1) / 1e9);
    System.out.printf(
        "%d small-file puts (durable commits): one per request %.0f/s, all in one batch %.0f/s%n",
        n, single, batched);
  }

  /** Builds a journal of {@code n} entries, then pages through all of it. */
  void listing(int n) throws Exception {
    String start = latestCursor();
    int perBatch = 10_000;
    long t0 = System.nanoTime();
    for (int made = 0; made < n; made += perBatch) {
      List<Map<String, Object>> ops = new ArrayList<>();
      for (int i = made; i < Math.min(n, made + perBatch); i++) {
        ops.add(op("mkdir", "/list/" + (i / 1000) + "/" + i, Map.of("parents", true)));
      }
      batch(ops);
    }
    System.out.printf("built %d journal entries in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    for (int run = 0; run < 3; run++) {
      long t1 = System.nanoTime();
      long entries = 0;
      String cursor = start;
      JsonNode page;
      do {
        page = send("GET", "/api/v1/changes?cursor=" + enc(cursor), token, null);
        entries += page.path("entries").size();
        cursor = page.path("cursor").asText();
      } while (page.path("hasMore").asBoolean());
      double seconds = (System.nanoTime() - t1) / 1e9;
      System.out.printf(
          "run %d: listed %d entries in %.1f s: %.0f entries/s%n",
          run + 1, entries, seconds, entries / seconds);
    }
  }

  /** Holds {@code n} long-polls open at once, then measures a wake-up under that load. */
  void idle(int n) throws Exception {
    String cursor = latestCursor();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    HttpClient idleClient =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(60))
            .build();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      polls.add(
          idleClient.sendAsync(
              HttpRequest.newBuilder(
                      server.resolve("/api/v1/changes/wait?timeout=300&cursor=" + enc(cursor)))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(330))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    System.out.printf("opened %d long-polls in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    waitForParked(n);
    System.out.printf("server reports %d parked%n", parked());
    printServerMemory();
    long start = System.nanoTime();
    batch(List.of(op("mkdir", "/idle-wake", Map.of())));
    AtomicLong first = new AtomicLong();
    AtomicLong last = new AtomicLong();
    int changed = 0;
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> response = poll.get();
      long at = System.nanoTime();
      first.compareAndSet(0, at);
      last.accumulateAndGet(at, Math::max);
      if (JSON.readTree(response.body()).path("changed").asBoolean()) {
        changed++;
      }
    }
    System.out.printf(
        "one commit woke %d of %d long-polls: all answered %.0f ms after the commit was sent%n",
        changed, n, (last.get() - start) / 1e6);
  }

  /**
   * {@code n} idle long-polls (on 100 accounts nobody writes to) held while writers (50, or
   * $WRITERS), each on an account of its own, commit one small file per request for a minute (or
   * $DURATION seconds): commits per second and commit latency under that load, and the server's
   * memory.
   */
  void load(int n) throws Exception {
    int writers = Integer.parseInt(System.getenv().getOrDefault("WRITERS", "50"));
    long seconds = Long.parseLong(System.getenv().getOrDefault("DURATION", "60"));
    String run = Long.toString(System.nanoTime() % 1_000_000, 36);
    List<String> idle = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      idle.add(signUp("idle-" + run + "-" + i));
    }
    List<String> cursors = new ArrayList<>();
    for (String bearer : idle) {
      cursors.add(latestCursor(bearer, null));
    }
    HttpClient idleClient =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(60))
            .build();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      polls.add(
          idleClient.sendAsync(
              HttpRequest.newBuilder(
                      server.resolve(
                          "/api/v1/changes/wait?timeout=300&cursor="
                              + enc(cursors.get(i % idle.size()))))
                  .header("Authorization", "Bearer " + idle.get(i % idle.size()))
                  .timeout(Duration.ofSeconds(330))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    waitForParked(n);
    System.out.printf(
        "%d idle long-polls parked in %.1f s (server reports %d)%n",
        n, (System.nanoTime() - t0) / 1e9, parked());

    List<String> writerTokens = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      writerTokens.add(signUp("writer-" + run + "-" + w));
    }
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      for (int w = 0; w < writers; w++) {
        String bearer = writerTokens.get(w);
        int writer = w;
        results.add(
            pool.submit(
                () -> {
                  long[] latencies = new long[1024];
                  int count = 0;
                  while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    JsonNode answer =
                        send(
                            "POST",
                            "/api/v1/batch",
                            bearer,
                            Map.of(
                                "operations",
                                List.of(
                                    put("/load/" + writer + "/" + count + ".txt", "n" + count))));
                    if (answer.path("results").path(0).path("status").asInt() >= 300) {
                      throw new IllegalStateException("commit refused: " + answer);
                    }
                    if (count == latencies.length) {
                      latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = System.nanoTime() - start;
                  }
                  return Arrays.copyOf(latencies, count);
                }));
      }
    }
    long[] all = results.stream().flatMapToLong(f -> Arrays.stream(join(f))).sorted().toArray();
    System.out.printf(
        "%d writers, %d s: %d commits, %.0f commits/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f"
            + " ms%n",
        writers,
        seconds,
        all.length,
        all.length / (double) seconds,
        pct(all, 50) / 1e6,
        pct(all, 99) / 1e6,
        all[all.length - 1] / 1e6);
    long answered = polls.stream().filter(CompletableFuture::isDone).count();
    System.out.printf(
        "idle long-polls still parked after the writes: %d (answered meanwhile: %d)%n",
        parked(), answered);
    printServerMemory();
  }

  // --- helpers -------------------------------------------------------------------------------

  private static long[] join(Future<long[]> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException("a writer failed", e);
    }
  }

  /** The server's memory now: heap in use after a full GC, and its resident set. */
  private static void printServerMemory() throws Exception {
    String pid = System.getenv("SERVER_PID");
    if (pid == null) {
      return;
    }
    run("jcmd", pid, "GC.run");
    String heap = run("jcmd", pid, "GC.heap_info");
    heap.lines()
        .filter(l -> l.contains("total") && l.contains("used"))
        .findFirst()
        .ifPresent(l -> System.out.println("server heap after GC: " + l.strip()));
    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", pid, "status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .forEach(l -> System.out.println("server " + l.replaceAll("\\s+", " ")));
  }

  /** A new account's token. */
  private String signUp(String user) throws Exception {
    Map<String, String> credentials = Map.of("username", user, "password", "bench-password-1");
    send("POST", "/api/v1/auth/signup", null, credentials);
    return send("POST", "/api/v1/auth/login", null, credentials).path("token").asText();
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }

  private void awaitParked() throws Exception {
    waitForParked(1);
  }

  /** The server counts parked long-polls on its health endpoint; poll it briefly. */
  private void waitForParked(int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (parked() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("long-polls did not park: " + parked() + " of " + n);
      }
      Thread.onSpinWait();
      Thread.sleep(1);
    }
  }

  private int parked() throws Exception {
    return send("GET", "/api/v1/health", null, null).path("waiting").asInt();
  }

  private String latestCursor() throws Exception {
    return latestCursor(null);
  }

  private String latestCursor(String from) throws Exception {
    return latestCursor(token, from);
  }

  private String latestCursor(String bearer, String from) throws Exception {
    String cursor = from;
    JsonNode page;
    do {
      page =
          send(
              "GET",
              "/api/v1/changes" + (cursor == null ? "" : "?cursor=" + enc(cursor)),
              bearer,
              null);
      cursor = page.path("cursor").asText();
    } while (page.path("hasMore").asBoolean());
    return cursor;
  }

  private void batch(List<Map<String, Object>> ops) throws Exception {
    JsonNode results = send("POST", "/api/v1/batch", token, Map.of("operations", ops));
    for (JsonNode result : results.path("results")) {
      if (result.path("status").asInt() >= 300) {
        throw new IllegalStateException("operation refused: " + result);
      }
    }
  }

  private static Map<String, Object> put(String path, String text) {
    return op(
        "put",
        path,
        Map.of("data", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))));
  }

  private static Map<String, Object> op(String op, String path, Map<String, Object> more) {
    Map<String, Object> map = new LinkedHashMap<>(more);
    map.put("op", op);
    map.put("path", path);
    return map;
  }

  private JsonNode send(String method, String path, String bearer, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(600));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() >= 300 && !path.startsWith("/api/v1/auth/signup")) {
      throw new IllegalStateException(
          method + " " + path + " -> " + response.statusCode() + " " + new String(response.body()));
    }
    return response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
