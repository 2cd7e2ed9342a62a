package io.warmline.media.rtcp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Source description (RFC 3550 §6.5): at most 31 chunks, each an SSRC and its items. */
public record SourceDescription(List<Chunk> chunks) implements RtcpPacket {

    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    public SourceDescription {
        chunks = RtcpFields.checkCount("chunks", chunks);
    }

    /** The usual SDES of a compound report: one chunk carrying the CNAME (RFC 3550 §6.5.1). */
    public static SourceDescription cname(long ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(new Item(CNAME, cname)))));
    }

    /** The CNAME given for {@code ssrc}, if any. */
    public Optional<String> cnameOf(long ssrc) {
        for (Chunk chunk : chunks) {
            if (chunk.ssrc() == ssrc) {
                for (Item item : chunk.items()) {
                    if (item.type() == CNAME) {
                        return Optional.of(item.text());
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public int packetType() {
        return TYPE_SDES;
    }

    /** One SSRC/CSRC and its items. */
    public record Chunk(long ssrc, List<Item> items) {
        public Chunk {
            RtcpFields.checkU32("ssrc", ssrc);
            items = List.copyOf(items);
        }
    }

    /**
     * One SDES item: type 1-255 (0 ends the list on the wire) and its text, UTF-8 on the wire, at most 255 bytes
     * when written. Bytes that are not valid UTF-8 (PRIV items may be binary) are read as replacement characters.
     */
    public record Item(int type, String text) {
        public Item {
            if (type < 1 || type > 255) {
                throw new IllegalArgumentException("SDES item type out of range: " + type);
            }
            Objects.requireNonNull(text, "text");
        }
    }
}
