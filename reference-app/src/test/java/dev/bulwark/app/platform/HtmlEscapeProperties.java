package dev.bulwark.app.platform;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlEscapeProperties {
    /** No input can open a tag, close an attribute or start an entity of its own after escaping. */
    @Property(tries = 10000)
    void escapedTextCannotBreakOutOfTextOrAttributes(@ForAll String s) {
        String e = Html.esc(s);
        assertThat(e).doesNotContain("<").doesNotContain(">").doesNotContain("\"").doesNotContain("'");
        assertThat(e.replaceAll("&(lt|gt|amp|quot|#39);", "")).doesNotContain("&");
    }

    @Property(tries = 10000)
    void escapingIsReversible(@ForAll String s) {
        String back = Html.esc(s).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
        assertThat(back).isEqualTo(s);
    }
}
