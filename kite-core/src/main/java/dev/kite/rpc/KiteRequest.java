package dev.kite.rpc;

import dev.kite.protocol.Kite;
import org.jspecify.annotations.Nullable;

/**
 * What a handler may know about the call it serves. Declare a parameter of this type on a
 * {@code @KiteMethod} to receive it (it takes no position in {@code withArgs}).
 *
 * @param method the called method's name
 * @param username the caller's verified username, or, when the method skips
 * authentication, the username the caller claimed
 * @param authType the authentication type that was verified ({@code kiteKey},
 * {@code token}, …), or {@code null} when the call was not authenticated
 * @param caller the calling kite's identity (from the first request on the connection,
 * username replaced by the verified one)
 * @param requestId this call's request id, also in the error object and the server log
 */
public record KiteRequest(String method, String username, @Nullable String authType, Kite caller, String requestId) {
}
