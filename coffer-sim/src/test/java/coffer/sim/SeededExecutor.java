package coffer.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The seeded scheduler: submitted tasks wait until someone asks for a result, then run one at a
 * time on that thread in an order drawn from the seed, so concurrent actions interleave differently
 * per seed and identically per run. Before each task the chaos may crash the process.
 */
final class SeededExecutor extends AbstractExecutorService {

  private final RandomGenerator random;
  private final Chaos chaos;
  private final String name;
  private final List<Task<?>> queue = new ArrayList<>();

  SeededExecutor(RandomGenerator random, Chaos chaos, String name) {
    this.random = random;
    this.chaos = chaos;
    this.name = name;
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    return new Task<>(callable);
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    return new Task<>(Executors.callable(runnable, value));
  }

  @Override
  public void execute(Runnable command) {
    if (command instanceof Task<?> task) {
      queue.add(task);
    } else {
      command.run(); // a CompletableFuture's step: nobody would call get() on a Task for it
    }
  }

  /** Runs queued tasks in seeded order until {@code wanted} is done. */
  private void runUntil(Task<?> wanted) {
    while (!wanted.isDone()) {
      if (queue.isEmpty()) {
        throw new IllegalStateException("a task waits for itself");
      }
      Task<?> next = queue.remove(random.nextInt(queue.size()));
      if (!next.isDone()) {
        chaos.maybeCrash("before a " + name + " task");
        next.run();
        if (next.state() == java.util.concurrent.Future.State.FAILED
            && next.exceptionNow() instanceof SimCrash crash) {
          throw crash; // the process died inside the task: nothing after it runs
        }
      }
    }
  }

  private final class Task<T> extends FutureTask<T> {
    Task(Callable<T> callable) {
      super(callable);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      runUntil(this);
      try {
        return super.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SimCrash crash) {
          throw crash; // the process is gone: nothing above may treat it as a failed task
        }
        throw e;
      }
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException {
      return get();
    }
  }

  @Override
  public void shutdown() {
    queue.clear();
  }

  @Override
  public List<Runnable> shutdownNow() {
    queue.clear();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
