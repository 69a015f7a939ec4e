package dev.sealpost.relay;

import dev.sealpost.protocol.AccountName;

/** Account-name checks that answer 400 with {@link AccountName}'s one-line reason. */
final class Names {
    private Names() {}

    /**
     * @return {@code name} if it is a valid account name
     * @throws ApiError.BadRequest otherwise
     */
    static String require(String name) {
        if (name == null) {
            throw new ApiError.BadRequest("missing name");
        }
        try {
            return AccountName.require(name);
        } catch (IllegalArgumentException e) {
            throw new ApiError.BadRequest(e.getMessage());
        }
    }
}
