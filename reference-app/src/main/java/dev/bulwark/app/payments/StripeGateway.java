package dev.bulwark.app.payments;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Account;
import com.stripe.model.AccountLink;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.product.ProductConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The only code that talks to Stripe (stripe-java's StripeClient; its API base is configurable so tests point it at a
 * local fake). Payments are direct charges on the business's connected account: every PaymentIntent call carries
 * the {@code Stripe-Account} header. Only ids, statuses, amounts and client secrets cross this class; no card data.
 */
public final class StripeGateway {
    private static final Logger log = LoggerFactory.getLogger(StripeGateway.class);

    public record Intent(String id, String status, long amount, long amountReceived, String currency, Map<String, String> metadata, String clientSecret) {
        @Override
        public String toString() {
            return "Intent[" + id + ", " + status + ", clientSecret=<redacted>]";
        }
    }

    public record AccountState(String id, boolean chargesEnabled, boolean detailsSubmitted) {}

    public record ChargeState(String id, String paymentIntentId, long amountRefunded) {}

    private final StripeClient client;

    public StripeGateway(ProductConfig config) {
        StripeClient.StripeClientBuilder b = StripeClient.builder().setApiKey(config.stripeSecretKey.orElseThrow())
                .setConnectTimeout(10_000).setReadTimeout(20_000).setMaxNetworkRetries(1);
        config.stripeApiBase.ifPresent(u -> {
            b.setApiBase(u);
            b.setConnectBase(u);
        });
        this.client = b.build();
    }

    public String createAccount(String workspaceId) {
        try {
            Account a = client.v1().accounts().create(AccountCreateParams.builder().setType(AccountCreateParams.Type.EXPRESS)
                    .putMetadata("workspace_id", workspaceId).build());
            return a.getId();
        } catch (StripeException e) {
            throw failure("create the connected account", e);
        }
    }

    /** A single-use onboarding link; Stripe sends the person to refreshUrl if it expired or was used. */
    public String onboardingLink(String accountId, String refreshUrl, String returnUrl) {
        try {
            AccountLink l = client.v1().accountLinks().create(AccountLinkCreateParams.builder().setAccount(accountId).setRefreshUrl(refreshUrl)
                    .setReturnUrl(returnUrl).setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING).build());
            return l.getUrl();
        } catch (StripeException e) {
            throw failure("create the onboarding link", e);
        }
    }

    public AccountState account(String accountId) {
        try {
            Account a = client.v1().accounts().retrieve(accountId);
            return new AccountState(a.getId(), Boolean.TRUE.equals(a.getChargesEnabled()), Boolean.TRUE.equals(a.getDetailsSubmitted()));
        } catch (StripeException e) {
            throw failure("read the connected account", e);
        }
    }

    /** A direct charge on the connected account, with the platform fee (if any) as application fee. */
    public Intent createPaymentIntent(String accountId, long amount, String currency, long feeMinor, Map<String, String> metadata, String idempotencyKey) {
        PaymentIntentCreateParams.Builder p = PaymentIntentCreateParams.builder().setAmount(amount).setCurrency(currency.toLowerCase(java.util.Locale.ROOT))
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true).build())
                .putAllMetadata(metadata);
        if (feeMinor > 0) p.setApplicationFeeAmount(feeMinor);
        try {
            return intent(client.v1().paymentIntents().create(p.build(), onAccount(accountId).setIdempotencyKey(idempotencyKey).build()));
        } catch (StripeException e) {
            throw failure("create the payment", e);
        }
    }

    public Intent paymentIntent(String accountId, String id) {
        try {
            return intent(client.v1().paymentIntents().retrieve(id, onAccount(accountId).build()));
        } catch (StripeException e) {
            throw failure("read the payment", e);
        }
    }

    public ChargeState charge(String accountId, String id) {
        try {
            Charge c = client.v1().charges().retrieve(id, onAccount(accountId).build());
            return new ChargeState(c.getId(), c.getPaymentIntent(), c.getAmountRefunded() == null ? 0 : c.getAmountRefunded());
        } catch (StripeException e) {
            throw failure("read the charge", e);
        }
    }

    private static RequestOptions.RequestOptionsBuilder onAccount(String accountId) {
        return RequestOptions.builder().setStripeAccount(accountId);
    }

    private static Intent intent(PaymentIntent pi) {
        return new Intent(pi.getId(), pi.getStatus(), pi.getAmount() == null ? 0 : pi.getAmount(),
                pi.getAmountReceived() == null ? 0 : pi.getAmountReceived(), pi.getCurrency() == null ? "" : pi.getCurrency().toUpperCase(java.util.Locale.ROOT),
                pi.getMetadata() == null ? Map.of() : pi.getMetadata(), pi.getClientSecret());
    }

    private static AppError failure(String what, StripeException e) {
        // Stripe's messages carry no secrets, but keep the log to the code and request id.
        log.warn("Stripe call failed: could not {} (code {}, request {})", what, e.getCode(), e.getRequestId());
        return new AppError(502, "payment_provider_error", "The payment provider could not " + what + "; please try again.");
    }

    @Override
    public String toString() {
        return "StripeGateway[<redacted>]";
    }
}
