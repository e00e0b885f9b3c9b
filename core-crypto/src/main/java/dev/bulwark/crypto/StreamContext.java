package dev.bulwark.crypto;

/** Binds an encrypted stream (file, backup) to its workspace and object id. */
public record StreamContext(String workspaceId, String objectId) {

    public StreamContext {
        FieldContext.requireText(workspaceId, "workspaceId");
        FieldContext.requireText(objectId, "objectId");
    }

    public static StreamContext of(String workspaceId, String objectId) {
        return new StreamContext(workspaceId, objectId);
    }

    byte[] associatedData() {
        return FieldContext.encode("bulwark.stream.v1", workspaceId, objectId);
    }
}
