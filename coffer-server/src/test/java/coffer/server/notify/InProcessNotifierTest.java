package coffer.server.notify;

class InProcessNotifierTest extends NotifierContract {
  @Override
  protected Notifier newNotifier() {
    return new InProcessNotifier();
  }
}
