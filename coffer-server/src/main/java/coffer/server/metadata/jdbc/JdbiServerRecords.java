package coffer.server.metadata.jdbc;

import coffer.server.metadata.ServerRecords;
import org.jdbi.v3.core.Handle;

final class JdbiServerRecords implements ServerRecords {

  private final Handle handle;

  JdbiServerRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String epoch() {
    return handle
        .createQuery("SELECT epoch FROM server_state WHERE id = 1")
        .mapTo(String.class)
        .one();
  }

  @Override
  public void setEpoch(String epoch) {
    handle.createUpdate("UPDATE server_state SET epoch = ? WHERE id = 1").bind(0, epoch).execute();
  }
}
