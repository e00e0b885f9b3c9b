package dev.bulwark.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The build's CycloneDX SBOM (written at package, before Failsafe): the app's runtime dependencies, with versions and hashes. */
class OpsSbomIT {
    @Test
    void buildProducesACycloneDxSbomOfTheRuntimeDependencies() throws Exception {
        Path bom = Path.of("target", "bom.json");
        assertThat(bom).exists();
        JsonObject o = new JsonObject(Files.readString(bom));
        assertThat(o.getString("bomFormat")).isEqualTo("CycloneDX");
        List<String> names = new ArrayList<>();
        JsonArray components = o.getJsonArray("components");
        for (Object c : components) {
            JsonObject j = (JsonObject) c;
            names.add(j.getString("group") + ":" + j.getString("name"));
            assertThat(j.getString("version")).as(j.getString("name")).isNotBlank();
            assertThat(j.getJsonArray("hashes")).as(j.getString("name") + " hashes").isNotEmpty();
        }
        assertThat(names).contains("com.google.crypto.tink:tink", "io.vertx:vertx-core", "org.postgresql:postgresql", "me.tongfei:progressbar",
                "dev.bulwark:bulwark-core-crypto");
        assertThat(names).as("test-only libraries are not shipped").doesNotContain("org.junit.jupiter:junit-jupiter", "org.assertj:assertj-core");
    }
}
