package dev.relaypoint.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The faults {@link FaultProxy} applies to one proxied connection. Immutable; build with {@link #builder()}.
 *
 * <p>All offsets count bytes of the <em>original</em> stream in one direction, i.e. bytes read from the sending
 * peer. Injected bytes are not counted, so an injection never shifts a later cut or stall.
 */
public final class FaultPlan {

    /** Forward {@code offset} bytes, then end the connection with {@code mode}. */
    public record Cut(long offset, CutMode mode) {
        public Cut {
            requireOffset(offset);
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** Insert {@code bytes} into the stream once {@code offset} original bytes have been forwarded. */
    public record Injection(long offset, byte[] bytes) {
        public Injection {
            requireOffset(offset);
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    private static final FaultPlan PASS_THROUGH = builder().build();

    private final Map<Direction, Cut> cuts;
    private final Map<Direction, Long> stalls;
    private final Map<Direction, List<Injection>> injections;
    private final int fragmentSize;
    private final Duration delay;

    private FaultPlan(Builder b) {
        this.cuts = new EnumMap<>(b.cuts);
        this.stalls = new EnumMap<>(b.stalls);
        this.injections = new EnumMap<>(Direction.class);
        for (Direction d : Direction.values()) {
            List<Injection> list = new ArrayList<>(b.injections.getOrDefault(d, List.of()));
            // Stable sort: several injections at one offset are written in the order they were added.
            list.sort(Comparator.comparingLong(Injection::offset));
            injections.put(d, List.copyOf(list));
        }
        this.fragmentSize = b.fragmentSize;
        this.delay = b.delay;
    }

    /** A plan that forwards everything unchanged. */
    public static FaultPlan passThrough() {
        return PASS_THROUGH;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Shortcut for {@code builder().cutAt(direction, offset, mode).build()}. */
    public static FaultPlan cutAt(Direction direction, long offset, CutMode mode) {
        return builder().cutAt(direction, offset, mode).build();
    }

    /** Shortcut for {@code builder().stallAt(direction, offset).build()}. */
    public static FaultPlan stallAt(Direction direction, long offset) {
        return builder().stallAt(direction, offset).build();
    }

    public Optional<Cut> cut(Direction direction) {
        return Optional.ofNullable(cuts.get(direction));
    }

    public OptionalLong stall(Direction direction) {
        Long offset = stalls.get(direction);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** Injections for one direction, sorted by offset. */
    public List<Injection> injections(Direction direction) {
        return injections.get(direction);
    }

    /** Maximum bytes per socket write, if fragmenting. */
    public OptionalInt fragmentSize() {
        return fragmentSize == 0 ? OptionalInt.empty() : OptionalInt.of(fragmentSize);
    }

    /** Pause before every socket write (zero for none). */
    public Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return "FaultPlan{cuts=" + cuts + ", stalls=" + stalls + ", injections=" + injections
                + ", fragmentSize=" + fragmentSize + ", delay=" + delay + '}';
    }

    private static void requireOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
    }

    /** Mutable builder; every setter returns {@code this}. */
    public static final class Builder {
        private final Map<Direction, Cut> cuts = new EnumMap<>(Direction.class);
        private final Map<Direction, Long> stalls = new EnumMap<>(Direction.class);
        private final Map<Direction, List<Injection>> injections = new EnumMap<>(Direction.class);
        private int fragmentSize;
        private Duration delay = Duration.ZERO;

        private Builder() {
        }

        /** Forward exactly {@code offset} bytes in {@code direction}, then cut both sides with {@code mode}. */
        public Builder cutAt(Direction direction, long offset, CutMode mode) {
            cuts.put(Objects.requireNonNull(direction, "direction"), new Cut(offset, mode));
            return this;
        }

        /**
         * Forward {@code offset} bytes in {@code direction}, then stop forwarding that direction (sockets stay
         * open) until {@link FaultProxy#release()} or the proxy is closed.
         */
        public Builder stallAt(Direction direction, long offset) {
            requireOffset(offset);
            stalls.put(Objects.requireNonNull(direction, "direction"), offset);
            return this;
        }

        /** Forward in writes of at most {@code maxBytes} bytes (both directions; TCP_NODELAY is always on). */
        public Builder fragment(int maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("fragment size must be >= 1: " + maxBytes);
            }
            this.fragmentSize = maxBytes;
            return this;
        }

        /** Sleep {@code perWrite} before every write (both directions). */
        public Builder delay(Duration perWrite) {
            if (perWrite.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + perWrite);
            }
            this.delay = perWrite;
            return this;
        }

        /** Insert {@code bytes} into {@code direction} after {@code atOffset} original bytes. */
        public Builder inject(Direction direction, long atOffset, byte[] bytes) {
            injections.computeIfAbsent(Objects.requireNonNull(direction, "direction"), d -> new ArrayList<>())
                    .add(new Injection(atOffset, bytes));
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(this);
        }
    }
}
