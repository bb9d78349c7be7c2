package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Devices are listed with where each stands in the change feed, and can be revoked. */
class DevicesApiTest extends FreshServerTest {

  private JsonNode device(Account viewer, String id) {
    for (JsonNode d : viewer.get("/api/v1/auth/devices").expect(200).json()) {
      if (d.path("id").asText().equals(id)) {
        return d;
      }
    }
    return null;
  }

  @Test
  void each_device_shows_when_it_last_read_the_feed_and_how_far_behind_it_is() {
    Account laptop = server.login("alice");
    assertThat(device(alice, laptop.deviceId()).has("behind")).isFalse();

    String cursor = laptop.get("/api/v1/changes").expect(200).json().path("cursor").asText();
    laptop.get("/api/v1/changes?cursor=" + cursor).expect(200);
    JsonNode upToDate = device(alice, laptop.deviceId());
    assertThat(upToDate.path("behind").asLong()).isZero();
    assertThat(upToDate.path("syncedAt").asText()).isNotBlank();

    alice.folder("/a");
    alice.folder("/b");
    assertThat(device(alice, laptop.deviceId()).path("behind").asLong()).isEqualTo(2);
    assertThat(device(alice, alice.deviceId()).path("current").asBoolean()).isTrue();
  }

  @Test
  void a_revoked_device_disappears_from_the_list_and_its_token_stops_working() {
    Account phone = server.login("alice");
    alice.delete("/api/v1/auth/devices/" + phone.deviceId()).expect(204);
    assertThat(device(alice, phone.deviceId())).isNull();
    phone.get("/api/v1/changes").expectProblem(401);
  }
}
