package coffer.server.files;

import coffer.core.api.FileMetadata;
import coffer.core.manifest.Manifest;

/** What a download needs: the file's metadata and the manifest of its current revision. */
public record FileContent(FileMetadata metadata, Manifest manifest) {}
