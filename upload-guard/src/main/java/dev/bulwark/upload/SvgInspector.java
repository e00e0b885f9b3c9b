package dev.bulwark.upload;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Accepts an SVG only if it is passive: an {@code <svg>} root, no DTD (so no entities), no script-capable elements,
 * no {@code on*} event handler attributes, no {@code javascript:}/{@code vbscript:} or HTML {@code data:} URLs
 * anywhere, and no reference leaving the document (hrefs must be {@code #fragments} or raster {@code data:} images;
 * CSS {@code url()} must point to a fragment; no {@code @import}). Streams with StAX: memory stays small.
 */
final class SvgInspector {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Set<String> FORBIDDEN_ELEMENTS = Set.of(
            "script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video", "frame",
            "frameset", "applet", "base", "link", "meta");
    private static final Pattern DANGEROUS_SCHEME = Pattern.compile("(javascript|vbscript|livescript|data:text/html|data:application|data:image/svg)");
    private static final Pattern SAFE_DATA_IMAGE = Pattern.compile("data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\\s]*");
    private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?([^'\")\\s]*)");

    private static final XMLInputFactory FACTORY = factory();

    private SvgInspector() {}

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        try {
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (IllegalArgumentException ignored) {
            // not supported by this implementation; DTDs are off anyway
        }
        return f;
    }

    /**
     * @throws UploadRejected SVG_ACTIVE_CONTENT or MALFORMED_CONTENT
     * @throws XMLStreamException when the reader failed (the caller checks whether the stream underneath failed)
     */
    static void inspect(InputStream in) throws UploadRejected, XMLStreamException {
        XMLStreamReader r = FACTORY.createXMLStreamReader(in);
        try {
            boolean root = true;
            boolean inStyle = false;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD:
                        throw active("the SVG has a DOCTYPE (entities and external DTDs are not accepted)");
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        throw active("the SVG uses entity references");
                    case XMLStreamConstants.PROCESSING_INSTRUCTION:
                        throw active("the SVG has a processing instruction (e.g. an external stylesheet)");
                    case XMLStreamConstants.START_ELEMENT: {
                        String local = r.getLocalName().toLowerCase(Locale.ROOT);
                        if (root) {
                            if (!"svg".equals(local) || !SVG_NS.equals(r.getNamespaceURI())) {
                                throw new UploadRejected(UploadRejected.Reason.MALFORMED_CONTENT,
                                        "the document's root element is not an SVG <svg> element");
                            }
                            root = false;
                        }
                        if (FORBIDDEN_ELEMENTS.contains(local)) throw active("the SVG has a <" + local + "> element");
                        inStyle = "style".equals(local);
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            checkAttribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        break;
                    }
                    case XMLStreamConstants.END_ELEMENT:
                        inStyle = false;
                        break;
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                        if (inStyle) checkCss(r.getText());
                        break;
                    default:
                        break;
                }
            }
            if (root) throw new UploadRejected(UploadRejected.Reason.MALFORMED_CONTENT, "the SVG has no root element");
        } finally {
            r.close();
        }
    }

    private static void checkAttribute(String localName, String value) throws UploadRejected {
        String name = localName.toLowerCase(Locale.ROOT);
        if (name.startsWith("on")) throw active("the SVG has an event handler attribute (" + name + ")");
        String v = squash(value);
        if (DANGEROUS_SCHEME.matcher(v).find()) throw active("the SVG has a script or HTML URL");
        if (name.equals("href") || name.equals("src") || name.equals("action") || name.equals("formaction")) {
            if (!(v.startsWith("#") || SAFE_DATA_IMAGE.matcher(v).matches())) {
                throw active("the SVG references something outside itself");
            }
        }
        if (name.equals("style") || v.contains("url(")) checkCss(value);
    }

    private static void checkCss(String css) throws UploadRejected {
        String v = squash(css);
        if (v.contains("@import") || v.contains("expression(") || v.contains("-moz-binding") || v.contains("behavior:")) {
            throw active("the SVG's CSS imports or runs code");
        }
        if (DANGEROUS_SCHEME.matcher(v).find()) throw active("the SVG's CSS has a script URL");
        var m = CSS_URL.matcher(v);
        while (m.find()) {
            String target = m.group(1);
            if (!(target.startsWith("#") || SAFE_DATA_IMAGE.matcher(target).matches())) {
                throw active("the SVG's CSS references something outside itself");
            }
        }
    }

    /** Lower-case and drop whitespace and controls, which browsers skip inside URL schemes ("java\tscript:"). */
    private static String squash(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || Character.isWhitespace(c) || Character.getType(c) == Character.FORMAT) continue;
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    private static UploadRejected active(String message) {
        return new UploadRejected(UploadRejected.Reason.SVG_ACTIVE_CONTENT, message);
    }
}
