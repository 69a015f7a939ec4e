package dev.sealpost.protocol;

/**
 * The relay's HTTP API: paths, headers and limits shared by the relay and the client.
 *
 * <p>All request and response bodies are JSON records from this package, except message
 * bodies, which are the sealed S/MIME bytes ({@code application/pkcs7-mime}). Every path
 * but {@link #ACCOUNTS}, {@link #SESSIONS} and {@link #HEALTH} needs
 * {@code Authorization: Bearer TOKEN}. Errors are {@link ErrorResponse} bodies with status
 * 400 (bad request), 401 (no or expired token, wrong password), 404 (unknown account or
 * message, including a message the caller may not see), 409 (account exists), 413 (message
 * larger than the relay's limit), 414/431 (request head over {@link #MAX_REQUEST_HEAD_BYTES}),
 * 429 (rate limited, with {@code Retry-After} in seconds), 507 (storage quota or the relay's
 * free-space reserve reached).
 *
 * <pre>
 * POST   /v1/accounts            RegisterRequest          -> 201 AccountResponse
 * POST   /v1/sessions            LoginRequest             -> 200 SessionResponse (401 SECOND_FACTOR_REQUIRED
 *                                                            when the account has one and no otp was given)
 * GET    /v1/sessions                                     -> 200 SessionList (the account's sessions)
 * DELETE /v1/sessions                                     -> 204 (every session but the caller's revoked)
 * DELETE /v1/sessions/{id}                                -> 204 (that session revoked; "current": log out)
 * POST   /v1/password            PasswordChange           -> 204 (every other session revoked)
 * POST   /v1/mfa                                          -> 200 MfaEnrollment (409 if a second factor is on)
 * POST   /v1/mfa/confirm         MfaCode                  -> 200 RecoveryCodes (the second factor is on)
 * DELETE /v1/mfa                 MfaCode (or recovery)    -> 204 (the second factor is off)
 * PUT    /v1/keys                KeyBundle (own name)     -> 204
 * GET    /v1/keys/{name}                                  -> 200 KeyBundle
 * POST   /v1/messages?to=A&amp;to=B  sealed bytes             -> 201 SendResponse
 * GET    /v1/messages                                     -> 200 MessageList (caller's inbox)
 * GET    /v1/messages/{id}                                -> 200 sealed bytes
 * DELETE /v1/messages/{id}                                -> 204 (acknowledge; gone for the caller)
 * POST   /v1/uploads             Upload-Length: N         -> 201 Location: /v1/uploads/{id} (tus 1.0 creation)
 * HEAD   /v1/uploads/{id}                                 -> 200 Upload-Offset, Upload-Length (durable offset)
 * PATCH  /v1/uploads/{id}        Upload-Offset: K, bytes  -> 204 Upload-Offset (tus 1.0 core; or POST with
 *                                                            X-HTTP-Method-Override: PATCH)
 * DELETE /v1/uploads/{id}                                 -> 204 (tus termination)
 * POST   /v1/messages?to=A&amp;blob=U  sealed bytes           -> 201 (complete uploads U become the message's blobs;
 *                                                            sent again with the same U, the same 201: a retry
 *                                                            whose first answer was lost stores nothing twice)
 * GET    /v1/messages/{id}/blobs/{blob}  [Range: bytes=K-] -> 200 or 206 blob bytes (RFC 9110 §14)
 * GET    /v1/events                                       -> text/event-stream, events named
 *                                                            "message" with a MessageSummary
 * GET    /v1/health                                       -> 200 {"status":"ok"}
 * </pre>
 */
public final class Api {
    private Api() {}

    /** Register an account. */
    public static final String ACCOUNTS = "/v1/accounts";
    /** Log in (POST; returns a bearer token), list the account's sessions (GET), revoke all but this one (DELETE). */
    public static final String SESSIONS = "/v1/sessions";
    /** Revoke one session (DELETE); the path parameter is its {@code id}, or {@link #CURRENT_SESSION} to log out. */
    public static final String SESSION = "/v1/sessions/{id}";
    /** The id of the calling session in {@link #SESSION}. */
    public static final String CURRENT_SESSION = "current";
    /** Change the account's password (POST); every other session is revoked. */
    public static final String PASSWORD = "/v1/password";
    /** Start enrolling a second factor (POST), or turn it off with a code (DELETE). */
    public static final String MFA = "/v1/mfa";
    /** Put the second factor in force with the first code from the app (POST). */
    public static final String MFA_CONFIRM = "/v1/mfa/confirm";
    /**
     * The 401 error of a login that needs a second-factor code and gave none: the client asks
     * for the code and tries again.
     */
    public static final String SECOND_FACTOR_REQUIRED = "second factor required: give the code from your authenticator app";
    /** Publish the caller's own certificates. */
    public static final String KEYS = "/v1/keys";
    /** Read an account's certificates; the path parameter is {@code name}. */
    public static final String KEYS_OF = "/v1/keys/{name}";
    /** Send (POST) and list (GET) messages. */
    public static final String MESSAGES = "/v1/messages";
    /** Fetch (GET) and acknowledge (DELETE) one message; the path parameter is {@code id}. */
    public static final String MESSAGE = "/v1/messages/{id}";
    /** Server-Sent Events stream of new messages for the caller. */
    public static final String EVENTS = "/v1/events";
    /** Liveness. */
    public static final String HEALTH = "/v1/health";

    /** Query parameter naming one recipient of a sent message; repeat it for several. */
    public static final String TO_PARAM = "to";
    /** The SSE event name for a new message. */
    public static final String MESSAGE_EVENT = "message";
    /** Media type of a sealed message body (RFC 8551 §3.2). */
    public static final String SEALED_MEDIA_TYPE = "application/pkcs7-mime; smime-type=authEnveloped-data";
    /** Default upper bound of a message body accepted by a relay, in bytes (96 MiB). */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 96L * 1024 * 1024;

    /** Create a resumable upload (tus 1.0.0 creation extension): {@code POST} with {@code Upload-Length}. */
    public static final String UPLOADS = "/v1/uploads";
    /** One upload: {@code HEAD} for its offset, {@code PATCH} to append, {@code DELETE} to abandon. */
    public static final String UPLOAD = "/v1/uploads/{id}";
    /** A blob of a message, downloadable by its recipients, with {@code Range: bytes=K-}. */
    public static final String MESSAGE_BLOB = "/v1/messages/{id}/blobs/{blob}";
    /** Query parameter of {@link #MESSAGES} naming a completed upload the message references; repeatable. */
    public static final String BLOB_PARAM = "blob";
    /** The tus protocol version spoken ({@code Tus-Resumable} header). */
    public static final String TUS_VERSION = "1.0.0";
    /** {@code Tus-Resumable} request and response header. */
    public static final String TUS_RESUMABLE = "Tus-Resumable";
    /** {@code Upload-Offset} header: bytes durably stored so far. */
    public static final String UPLOAD_OFFSET = "Upload-Offset";
    /** {@code Upload-Length} header: total bytes of the upload. */
    public static final String UPLOAD_LENGTH = "Upload-Length";
    /** {@code Upload-Expires} header (RFC 9110 date): when an incomplete upload is deleted. */
    public static final String UPLOAD_EXPIRES = "Upload-Expires";
    /** tus 1.0.0: a {@code POST} carrying this header with value {@code PATCH} is a PATCH. */
    public static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
    /** Content type of a tus {@code PATCH} body. */
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    /** Default largest upload, in bytes (64 GiB). */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L << 30;
    /** Largest number of blobs one message may reference. */
    public static final int MAX_BLOBS_PER_MESSAGE = 1000;
    /** Largest number of recipients of one message. */
    public static final int MAX_RECIPIENTS = 100;
    /**
     * Length of a message or upload (blob) id, in characters: 128 random bits in base64url
     * without padding (RFC 4648 §5), so safe in URLs and file names as they are.
     */
    public static final int ID_LENGTH = 22;
    /**
     * Room a relay gives a request's head (request line and header fields), in bytes. It is
     * derived from the other limits so that they agree: the longest send,
     * {@code POST /v1/messages?to=...&blob=...} to {@link #MAX_RECIPIENTS} names of
     * {@link AccountName#MAX_LENGTH} characters with {@link #MAX_BLOBS_PER_MESSAGE} blobs, plus
     * 8 KiB for the request line's method and version and the ordinary header fields (the
     * common 8 KiB default of HTTP servers). 39,805 bytes.
     */
    public static final int MAX_REQUEST_HEAD_BYTES = MESSAGES.length() + 1
            + MAX_RECIPIENTS * (TO_PARAM.length() + 1 + AccountName.MAX_LENGTH + 1)
            + MAX_BLOBS_PER_MESSAGE * (BLOB_PARAM.length() + 1 + ID_LENGTH + 1)
            + 8 * 1024;
}
