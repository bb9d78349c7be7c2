package coffer.server.auth;

import coffer.core.api.AccountInfo;
import coffer.core.api.Credentials;
import coffer.core.api.LoginResponse;
import coffer.core.error.BadRequestException;
import coffer.core.error.ForbiddenException;
import coffer.core.error.NotFoundException;
import coffer.core.error.UnauthenticatedException;
import coffer.core.hash.Sha256;
import coffer.core.model.Device;
import coffer.core.model.Ids;
import coffer.core.model.User;
import coffer.server.files.Namespaces;
import coffer.server.metadata.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** Accounts and device tokens: sign-up, log-in, log-out, and authenticating each request. */
public final class AuthService {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MIN_PASSWORD = 8;
  private static final int MAX_PASSWORD = 1024;
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private static final String TOKEN_PREFIX = "cft_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MetadataStore store;
  private final PasswordHasher hasher;
  private final SignupPolicy policy;
  private final Clock clock;
  private final String dummyHash;
  private final SignedInCache signedIn;

  /**
   * Wrong passwords allowed per window for one account from one client address; past that, log-ins
   * there get 429 {@code too-many-attempts} until the oldest failure leaves the window (even with
   * the right password). Keyed by address as well as account, so a stranger cannot lock someone out
   * of their account from elsewhere.
   */
  static final int LOGIN_FAILURES = 10;

  /** Wrong passwords allowed per window from one client address over all accounts. */
  static final int LOGIN_FAILURES_PER_ADDRESS = 100;

  static final java.time.Duration LOGIN_WINDOW = java.time.Duration.ofMinutes(15);

  private final AttemptLimiter loginFailures;
  private final AttemptLimiter loginFailuresPerAddress;

  public AuthService(
      MetadataStore store,
      PasswordHasher hasher,
      SignupPolicy policy,
      Clock clock,
      SignedInCache signedIn) {
    this.store = store;
    this.hasher = hasher;
    this.policy = policy;
    this.clock = clock;
    this.signedIn = signedIn;
    this.loginFailures = new AttemptLimiter(LOGIN_FAILURES, LOGIN_WINDOW, clock);
    this.loginFailuresPerAddress =
        new AttemptLimiter(LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW, clock);
    // Log-ins for unknown users still pay for one hash, so timing does not reveal who exists.
    this.dummyHash = hasher.hash("not a password of anyone");
  }

  /**
   * Creates an account with its home namespace. The first account is an admin; after that the
   * {@link SignupPolicy} decides whether {@code caller} (null when anonymous) may create one.
   */
  public AccountInfo signup(Credentials credentials, Optional<Principal> caller) {
    String username = validUsername(credentials);
    String password = validPassword(credentials);
    String hash = hasher.hash(password);
    Instant now = clock.instant();
    User user =
        store.write(
            tx -> {
              boolean first = tx.users().count() == 0;
              if (!first
                  && policy == SignupPolicy.ADMIN_ONLY
                  && caller.map(p -> !p.admin()).orElse(true)) {
                throw new ForbiddenException(
                    "signup-closed", "Only an admin can create accounts on this server.");
              }
              String userId = Ids.newId();
              String namespaceId = Ids.newId();
              User created = new User(userId, username, hash, first, namespaceId, now);
              tx.users().insert(created);
              Namespaces.create(tx, namespaceId, userId, now);
              return created;
            });
    return account(user);
  }

  /** Checks a password and issues a token for a new device. */
  public LoginResponse login(Credentials credentials) {
    return login(credentials, "unknown");
  }

  /**
   * As {@link #login(Credentials)}, for a caller at {@code client}: wrong passwords are counted per
   * account and address, and per address (see {@link #LOGIN_FAILURES} and {@link
   * #LOGIN_FAILURES_PER_ADDRESS}).
   */
  public LoginResponse login(Credentials credentials, String client) {
    if (credentials == null || credentials.username() == null || credentials.password() == null) {
      throw new BadRequestException("missing-credentials", "Give a username and a password.");
    }
    String account = credentials.username().strip().toLowerCase(java.util.Locale.ROOT);
    AttemptLimiter.Attempt fromAddress = loginFailuresPerAddress.begin(client);
    AttemptLimiter.Attempt attempt = loginFailures.begin(account + "@" + client);
    // A name that sign-up refuses cannot exist, so it is not looked up: that also keeps characters
    // a database cannot hold (NUL, for PostgreSQL) out of the query. It still costs one hash.
    Optional<User> found =
        USERNAME.matcher(credentials.username().strip()).matches()
            ? store.read(tx -> tx.users().byUsername(credentials.username().strip()))
            : Optional.empty();
    boolean ok =
        hasher.verify(credentials.password(), found.map(User::passwordHash).orElse(dummyHash))
            && found.isPresent();
    if (!ok) {
      throw new UnauthenticatedException(
          "invalid-credentials", "The username or password is wrong.");
    }
    attempt.succeeded();
    fromAddress.succeeded();
    User user = found.get();
    String token = newToken();
    // Control characters are dropped: PostgreSQL cannot store NUL, and none belongs in a name.
    String deviceName =
        credentials.device() == null
            ? ""
            : credentials.device().replaceAll("\\p{Cntrl}", "").strip();
    if (deviceName.isEmpty()) {
      deviceName = "device";
    }
    if (deviceName.length() > 100) {
      deviceName = deviceName.substring(0, 100);
    }
    Instant now = clock.instant();
    Device device = new Device(Ids.newId(), user.id(), deviceName, now, now, null);
    // Hashing parameters raised since this password was stored: store it hashed with them now,
    // while the password is at hand.
    String rehashed =
        hasher.needsRehash(user.passwordHash()) ? hasher.hash(credentials.password()) : null;
    store.write(
        tx -> {
          tx.devices().insert(device, tokenHash(token));
          if (rehashed != null) {
            tx.users().setPasswordHash(user.id(), rehashed);
          }
          return null;
        });
    return new LoginResponse(token, device.id(), account(user));
  }

  /** The caller behind a bearer token; unknown or revoked tokens are rejected. */
  public Principal authenticate(String token) {
    if (token == null || !token.startsWith(TOKEN_PREFIX)) {
      throw unauthenticated();
    }
    Sha256 hash = tokenHash(token);
    Instant now = clock.instant();
    SignedInCache.Entry known = signedIn.get(hash);
    if (known != null) {
      if (known.touched().plus(TOUCH_EVERY).isBefore(now)) {
        touch(known.principal().deviceId(), now);
        signedIn.put(hash, new SignedInCache.Entry(known.principal(), now), signedIn.generation());
      }
      return known.principal();
    }
    long readAt = signedIn.generation();
    Device device =
        store
            .read(tx -> tx.devices().byTokenHash(hash))
            .filter(d -> !d.revoked())
            .orElseThrow(AuthService::unauthenticated);
    User user =
        store
            .read(tx -> tx.users().byId(device.userId()))
            .orElseThrow(AuthService::unauthenticated);
    Instant touched = device.lastUsedAt();
    if (touched == null || touched.plus(TOUCH_EVERY).isBefore(now)) {
      touch(device.id(), now);
      touched = now;
    }
    Principal principal =
        new Principal(user.id(), user.username(), user.admin(), user.homeNamespace(), device.id());
    signedIn.put(hash, new SignedInCache.Entry(principal, touched), readAt);
    return principal;
  }

  private void touch(String deviceId, Instant now) {
    store.write(
        tx -> {
          tx.devices().touch(deviceId, now);
          return null;
        });
  }

  /** Signs the caller's device out: its token stops working at once. */
  public void logout(Principal principal) {
    revokeDevice(principal, principal.deviceId());
  }

  public void revokeDevice(Principal principal, String deviceId) {
    boolean revoked =
        store.write(tx -> tx.devices().revoke(principal.userId(), deviceId, clock.instant()));
    if (!revoked) {
      throw new NotFoundException("device-not-found", "No such device.");
    }
    signedIn.signedOut(deviceId);
  }

  public AccountInfo account(Principal principal) {
    return new AccountInfo(principal.userId(), principal.username(), principal.admin());
  }

  private static AccountInfo account(User user) {
    return new AccountInfo(user.id(), user.username(), user.admin());
  }

  private static String validUsername(Credentials credentials) {
    if (credentials == null || credentials.username() == null) {
      throw new BadRequestException("invalid-username", "A username is required.");
    }
    String username = credentials.username().strip();
    if (!USERNAME.matcher(username).matches()) {
      throw new BadRequestException(
          "invalid-username",
          "A username has 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit.");
    }
    return username;
  }

  private static String validPassword(Credentials credentials) {
    String password = credentials.password();
    if (password == null || password.length() < MIN_PASSWORD) {
      throw new BadRequestException(
          "weak-password", "A password needs at least " + MIN_PASSWORD + " characters.");
    }
    if (password.length() > MAX_PASSWORD) {
      throw new BadRequestException(
          "invalid-password", "A password can have at most " + MAX_PASSWORD + " characters.");
    }
    return password;
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Sha256 tokenHash(String token) {
    return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
  }

  private static UnauthenticatedException unauthenticated() {
    return new UnauthenticatedException(
        "invalid-token", "Sign in again: the token is missing, unknown or revoked.");
  }
}
