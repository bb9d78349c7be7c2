package coffer.core.api;

import java.util.List;

/** A batch commit: operations applied in order, each with its own result. */
public record BatchRequest(List<BatchOperation> operations) {}
