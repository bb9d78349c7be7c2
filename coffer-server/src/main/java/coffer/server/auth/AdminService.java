package coffer.server.auth;

import coffer.core.api.AccountInfo;
import coffer.core.api.DeviceInfo;
import coffer.core.api.QuotaRequest;
import coffer.core.api.StorageUsage;
import coffer.core.error.BadRequestException;
import coffer.core.error.ForbiddenException;
import coffer.core.error.NotFoundException;
import coffer.core.model.User;
import coffer.server.metadata.MetadataStore;
import coffer.server.sync.DeviceService;
import java.util.List;

/**
 * What an admin may do to other accounts: list them, see a user's devices, sign a device out, set
 * storage quotas; and what anyone may see of their own storage. Everyone else gets 403 {@code
 * admin-only}. (Accounts are created with the sign-up endpoint, which an admin may call under any
 * sign-up policy.)
 */
public final class AdminService {

  /** The most users one page lists. */
  public static final int MAX_PAGE = 1000;

  private final MetadataStore store;
  private final AuthService auth;
  private final DeviceService devices;
  private final coffer.server.files.Scrubber scrubber;
  private final coffer.server.files.Fsck fsck;
  private final coffer.server.files.Backups backups;

  public AdminService(
      MetadataStore store,
      AuthService auth,
      DeviceService devices,
      coffer.server.files.Scrubber scrubber,
      coffer.server.files.Fsck fsck,
      coffer.server.files.Backups backups) {
    this.store = store;
    this.auth = auth;
    this.devices = devices;
    this.scrubber = scrubber;
    this.fsck = fsck;
    this.backups = backups;
  }

  /** Checks the metadata against its rules and the blob store; changes nothing. */
  public coffer.core.api.FsckReport fsck(Principal admin) {
    requireAdmin(admin);
    return fsck.check();
  }

  /** Writes or brings up to date a backup in a folder on the server's machine. */
  public coffer.core.api.BackupReport backup(
      Principal admin, coffer.core.api.BackupRequest request) {
    requireAdmin(admin);
    return backups.backUp(request == null ? null : request.path());
  }

  /** Reads back and verifies every stored chunk, and finds referenced chunks that are missing. */
  public coffer.core.api.ScrubReport scrub(Principal admin) {
    requireAdmin(admin);
    return scrubber.scrub();
  }

  /** Up to {@code limit} accounts after the username {@code after}, by username. */
  public List<AccountInfo> users(Principal admin, String after, int limit) {
    requireAdmin(admin);
    int page = Math.max(1, Math.min(limit, MAX_PAGE));
    return store.read(tx -> tx.users().list(after, page)).stream()
        .map(u -> new AccountInfo(u.id(), u.username(), u.admin()))
        .toList();
  }

  /** A user's signed-in devices, as that user would see them. */
  public List<DeviceInfo> devices(Principal admin, String username) {
    requireAdmin(admin);
    return devices.devices(Principal.of(user(username)));
  }

  /** Signs one of a user's devices out: its token stops working at once. */
  public void revokeDevice(Principal admin, String username, String deviceId) {
    requireAdmin(admin);
    auth.revokeDevice(Principal.of(user(username)), deviceId);
  }

  /** The caller's own storage use and quota. */
  public StorageUsage usage(Principal p) {
    return store.read(
        tx ->
            new StorageUsage(
                p.username(),
                tx.users().usedBytes(p.userId()),
                tx.users().quota(p.userId()).orElse(null)));
  }

  /** A user's storage use and quota. */
  public StorageUsage usage(Principal admin, String username) {
    requireAdmin(admin);
    return usage(Principal.of(user(username)));
  }

  /**
   * Sets a user's quota in bytes. A quota below what the user already stores is allowed: nothing is
   * deleted, new content is refused until they are under it again.
   */
  public StorageUsage setQuota(Principal admin, String username, QuotaRequest request) {
    requireAdmin(admin);
    // An absent or null value is an error, not "no quota": a typo must not lift a limit.
    if (request == null || request.quotaBytes() == null || request.quotaBytes() < 0) {
      throw new BadRequestException(
          "invalid-quota",
          "Send {\"quotaBytes\": N} with N bytes, 0 or more; DELETE removes the quota.");
    }
    return storeQuota(username, request.quotaBytes());
  }

  /** Removes a user's quota. */
  public StorageUsage removeQuota(Principal admin, String username) {
    requireAdmin(admin);
    return storeQuota(username, null);
  }

  private StorageUsage storeQuota(String username, Long bytes) {
    User user = user(username);
    store.write(
        tx -> {
          tx.users().setQuota(user.id(), bytes);
          return null;
        });
    return usage(Principal.of(user));
  }

  private User user(String username) {
    return store
        .read(tx -> tx.users().byUsername(username))
        .orElseThrow(
            () -> new NotFoundException("user-not-found", "No user named " + username + "."));
  }

  private static void requireAdmin(Principal principal) {
    if (!principal.admin()) {
      throw new ForbiddenException("admin-only", "Only an admin can do this.");
    }
  }
}
