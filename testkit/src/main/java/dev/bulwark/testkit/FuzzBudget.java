package dev.bulwark.testkit;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.util.Optional;

/**
 * Scales the parser fuzz properties of every module and reports what they tried.
 *
 * <p>A parser fuzz property is one declared with at least {@link #CI_FLOOR} tries (the floor every parser a request
 * can reach must meet in CI). Such a property's tries are replaced by the system property {@value #TRIES_PROPERTY}
 * when it is set: the {@code fuzz} Maven profile raises it to 1 000 000; the {@code mutation} profile lowers it so
 * that PIT can run each mutant's tests in reasonable time. Properties declared with fewer tries (round trips that
 * hash passwords, for example) are never changed.
 *
 * <p>After each fuzz property the hook prints one line, {@code fuzz: Class#method tries=N checks=M status}, so a CI
 * log shows how many inputs every parser took. It is registered globally through
 * {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}, so a module gets it by depending on the test kit.
 */
public final class FuzzBudget implements AroundPropertyHook {

    /** Tries a parser fuzz property must declare at least; also the marker that a property is one. */
    public static final int CI_FLOOR = 10_000;
    /** System property that, when set, replaces the tries of every parser fuzz property. */
    public static final String TRIES_PROPERTY = "bulwark.fuzz.tries";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        PropertyAttributes attributes = context.attributes();
        Optional<Integer> declared = attributes.tries();
        if (declared.isEmpty() || declared.get() < CI_FLOOR) {
            return property.execute();
        }
        override().ifPresent(attributes::setTries);
        PropertyExecutionResult result = property.execute();
        System.out.printf("fuzz: %s#%s tries=%d checks=%d %s%n",
                context.containerClass().getSimpleName(), context.targetMethod().getName(),
                result.countTries(), result.countChecks(), result.status());
        return result;
    }

    /** The replacement tries from {@value #TRIES_PROPERTY}, or empty when unset; a malformed value is an error. */
    static Optional<Integer> override() {
        String raw = System.getProperty(TRIES_PROPERTY, "").trim();
        if (raw.isEmpty()) return Optional.empty();
        int tries;
        try {
            tries = Integer.parseInt(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TRIES_PROPERTY + " must be a positive whole number, got '" + raw + "'", e);
        }
        if (tries < 1) throw new IllegalArgumentException(TRIES_PROPERTY + " must be at least 1, got " + tries);
        return Optional.of(tries);
    }

    @Override
    public PropagationMode propagateTo() {
        // Registered once, at the engine; must reach every property below it.
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public int aroundPropertyProximity() {
        // Outermost, so the count seen is the count of the whole property.
        return -100;
    }
}
