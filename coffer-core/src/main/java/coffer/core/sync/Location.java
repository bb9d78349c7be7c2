package coffer.core.sync;

import coffer.core.name.NodeName;
import java.text.Normalizer;

/**
 * Where an item is: its parent and its exact name in NFC. Two locations differing only in case are
 * different (a case-only rename is a move) but share a {@link #slot()}.
 */
record Location(String parentId, String name) {

  static Location of(SyncItem item) {
    return new Location(item.parentId(), nfc(item.name()));
  }

  Slot slot() {
    return new Slot(parentId, NodeName.key(name));
  }

  static String nfc(String name) {
    return Normalizer.isNormalized(name, Normalizer.Form.NFC)
        ? name
        : Normalizer.normalize(name, Normalizer.Form.NFC);
  }
}
