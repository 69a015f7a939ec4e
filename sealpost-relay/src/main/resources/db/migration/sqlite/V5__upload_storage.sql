-- Where an upload's bytes are, for stores that need a reference beyond the upload id: the
-- S3 multipart upload's UploadId (null in the folder store, and for an upload of length 0).
ALTER TABLE uploads ADD COLUMN storage_ref TEXT;
