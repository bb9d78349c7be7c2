package coffer.server.blob.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {

  @TempDir Path tmp;

  static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  @Test
  void the_highest_id_is_current_and_comments_are_skipped() {
    MasterKeys keys = MasterKeys.parse("# ring\n\n3:" + KEY + "\n1:" + KEY + "\n");

    assertThat(keys.currentId()).isEqualTo(3);
    assertThat(keys.key(1)).hasSize(32);
    assertThat(keys.key(2)).isNull();
    assertThat(keys.toString()).doesNotContain(KEY).contains("1").contains("3");
  }

  @Test
  void malformed_rings_are_refused_with_the_line_and_the_reason() {
    assertThatThrownBy(() -> MasterKeys.parse("")).hasMessageContaining("no key");
    assertThatThrownBy(() -> MasterKeys.parse(KEY))
        .hasMessageContaining("line 1: a key is written ID:BASE64");
    assertThatThrownBy(() -> MasterKeys.parse("1:" + KEY + "\nx:" + KEY))
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> MasterKeys.parse("1:c2hvcnQ=")).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MasterKeys.parse("0:" + KEY)).hasMessageContaining("start at 1");
    assertThatThrownBy(() -> MasterKeys.parse("1:" + KEY + "\n1:" + KEY))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> MasterKeys.parse("1:not base64!")).hasMessageContaining("line 1");
  }

  @Test
  void a_missing_file_is_made_once_for_its_owner_only_and_then_read_as_it_is() throws Exception {
    Path file = tmp.resolve("keys").resolve("master.key");

    MasterKeys made = MasterKeys.loadOrCreate(file);
    String text = Files.readString(file);
    MasterKeys again = MasterKeys.loadOrCreate(file);

    assertThat(made.currentId()).isEqualTo(1);
    assertThat(again.key(1)).isEqualTo(made.key(1));
    assertThat(Files.readString(file)).isEqualTo(text);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(MasterKeys.parse(MasterKeys.generate()).key(1)).isNotEqualTo(made.key(1));
  }

  @Test
  void a_damaged_file_names_itself() throws Exception {
    Path file = tmp.resolve("master.key");
    Files.writeString(file, "1:short");

    assertThatThrownBy(() -> MasterKeys.loadOrCreate(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 1");
  }
}
