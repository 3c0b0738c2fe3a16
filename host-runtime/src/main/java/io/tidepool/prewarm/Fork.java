package io.tidepool.prewarm;

/** A relation fork, by the number pg_buffercache gives and the name pg_prewarm takes. */
public enum Fork {
    main, fsm, vm, init;

    public static Fork ofNumber(int number) {
        if (number < 0 || number >= values().length) {
            throw new IllegalArgumentException("no relation fork number " + number);
        }
        return values()[number];
    }
}
