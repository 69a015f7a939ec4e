package dev.sealpost.client;

import java.util.List;
import java.util.Objects;

/**
 * A message as its sender composed it, before it is sealed: what {@code send}, {@code seal}
 * and a user interface hand to {@link OutgoingPipeline}.
 *
 * @param subject     an optional subject; empty for none
 * @param text        the text; may be empty
 * @param attachments prepared (compressed, metadata stripped) images, carried inside the letter
 * @param files       files sent as they are, any size: inside the letter up to the inline
 *                    bound, else as streamed files ({@link BlobRef})
 */
public record Draft(String subject, String text, List<Attachment> attachments, List<OutgoingFile> files) {
    /** Copies the lists; null subject or text become empty. */
    public Draft {
        subject = subject == null ? "" : subject;
        text = text == null ? "" : text;
        attachments = List.copyOf(Objects.requireNonNull(attachments, "attachments"));
        files = List.copyOf(Objects.requireNonNull(files, "files"));
    }

    /** @return true if there is nothing to send: no text, no image, no file */
    public boolean isEmpty() {
        return text.isEmpty() && attachments.isEmpty() && files.isEmpty();
    }
}
