package dev.bulwark.app.platform;

import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Outgoing mail: SMTP (Jakarta Mail / Angus) when BULWARK_SMTP_HOST is set, with STARTTLS or implicit TLS required
 * and the server certificate checked; otherwise an outbox of JSON files in {@code <data>/outbox} (mode 0700) that the
 * workspace owner reads in the UI, so sign-up, invites and resets work on a fresh machine. Always called from a
 * worker thread.
 */
public final class Mailer {
    private static final Logger log = LoggerFactory.getLogger(Mailer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Config config;
    private final Path outbox;
    private final Session smtp;

    public record Stored(String id, Instant at, Mail mail) {}

    public Mailer(Config config) {
        this.config = config;
        this.outbox = config.dataDir.resolve("outbox");
        if (config.smtpHost.isPresent()) {
            Properties p = new Properties();
            p.put("mail.smtp.host", config.smtpHost.get());
            p.put("mail.smtp.port", String.valueOf(config.smtpPort));
            p.put("mail.smtp.auth", String.valueOf(!config.smtpUser.isEmpty()));
            p.put("mail.smtp.connectiontimeout", "10000");
            p.put("mail.smtp.timeout", "10000");
            if (config.smtpSecurity.equals("tls")) {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            } else {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            this.smtp = Session.getInstance(p);
        } else {
            this.smtp = null;
            try {
                Files.createDirectories(outbox);
                Files.setPosixFilePermissions(outbox, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException | UnsupportedOperationException e) {
                throw new ConfigException("cannot create the mail outbox " + outbox + ": " + e.getMessage());
            }
        }
    }

    public boolean usesOutbox() {
        return smtp == null;
    }

    public void send(Mail mail) {
        if (smtp == null) {
            writeOutbox(mail);
            return;
        }
        try {
            MimeMessage m = new MimeMessage(smtp);
            m.setFrom(new InternetAddress(config.mailFrom));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
            m.setSubject(mail.subject(), "UTF-8");
            m.setText(mail.body(), "UTF-8");
            if (config.smtpUser.isEmpty()) Transport.send(m);
            else Transport.send(m, config.smtpUser, config.smtpPassword);
            log.info("mail sent: {}", mail.subject());
        } catch (MessagingException e) {
            // Never log the body: it may hold a one-time link.
            log.error("mail to a member could not be sent ({}): {}", mail.subject(), e.getClass().getSimpleName());
        }
    }

    private void writeOutbox(Mail mail) {
        Instant now = Instant.now();
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        String id = now.toEpochMilli() + "-" + HexFormat.of().formatHex(r);
        JsonObject j = new JsonObject().put("id", id).put("at", now.toString()).put("to", mail.to())
                .put("subject", mail.subject()).put("body", mail.body()).put("workspaceId", mail.workspaceId());
        try {
            Path tmp = outbox.resolve(id + ".tmp");
            Files.writeString(tmp, j.encodePrettily(), StandardCharsets.UTF_8);
            Files.move(tmp, outbox.resolve(id + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("mail written to the outbox: {}", mail.subject());
        } catch (IOException e) {
            log.error("cannot write the outbox: {}", e.getClass().getSimpleName());
        }
    }

    /** Outbox messages, newest first, that belong to {@code workspaceId} or are addressed to one of {@code addresses}. */
    public List<Stored> outbox(String workspaceId, List<String> addresses, int limit) {
        List<Stored> out = new ArrayList<>();
        if (smtp != null) return out;
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString())).toList()) {
                JsonObject j = new JsonObject(Files.readString(p, StandardCharsets.UTF_8));
                Mail m = new Mail(j.getString("to"), j.getString("subject"), j.getString("body"), j.getString("workspaceId"));
                boolean mine = (workspaceId != null && workspaceId.equals(m.workspaceId()))
                        || addresses.stream().anyMatch(a -> a.equalsIgnoreCase(m.to()));
                if (mine) out.add(new Stored(j.getString("id"), Instant.parse(j.getString("at")), m));
                if (out.size() >= limit) break;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the outbox: {}", e.getClass().getSimpleName());
        }
        return out;
    }
}
