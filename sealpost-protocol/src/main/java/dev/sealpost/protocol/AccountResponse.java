package dev.sealpost.protocol;

/**
 * Answer to a registration.
 *
 * @param name the account created
 */
public record AccountResponse(String name) {}
