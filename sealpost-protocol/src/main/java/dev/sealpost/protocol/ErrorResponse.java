package dev.sealpost.protocol;

/**
 * Body of every error answer.
 *
 * @param error one line for a person, free of secrets
 */
public record ErrorResponse(String error) {}
