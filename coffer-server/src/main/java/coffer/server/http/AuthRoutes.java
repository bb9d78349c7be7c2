package coffer.server.http;

import coffer.core.api.Credentials;
import coffer.server.auth.AuthService;
import coffer.server.auth.Principal;
import io.javalin.http.Context;
import java.util.Optional;

/** Accounts and devices: {@code /api/v1/auth/*} and {@code /api/v1/account}. */
final class AuthRoutes {

  private final AuthService auth;

  AuthRoutes(AuthService auth) {
    this.auth = auth;
  }

  void signup(Context ctx) {
    Optional<Principal> caller =
        Optional.ofNullable(ctx.header("Authorization"))
            .map(h -> auth.authenticate(Requests.bearer(ctx)));
    ctx.status(201).json(auth.signup(Json.read(ctx.bodyAsBytes(), Credentials.class), caller));
  }

  void login(Context ctx) {
    ctx.json(auth.login(Json.read(ctx.bodyAsBytes(), Credentials.class), Requests.client(ctx)));
  }

  void logout(Context ctx) {
    auth.logout(Requests.principal(ctx));
    ctx.status(204);
  }

  void account(Context ctx) {
    ctx.json(auth.account(Requests.principal(ctx)));
  }

  void revokeDevice(Context ctx) {
    auth.revokeDevice(Requests.principal(ctx), ctx.pathParam("deviceId"));
    ctx.status(204);
  }
}
