package io.warmline.dtmf.sequence;

/**
 * A sequence string that cannot be used, with where: the 1-based character position in the string and, for the
 * structured list form, the 0-based index of the list item. The config loader adds the config path; the target then
 * refuses to start. Not retryable: the same text fails the same way.
 */
public final class DtmfSequenceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int item;
    private final int position;
    private final String problem;

    public DtmfSequenceException(int item, int position, String problem) {
        super((item >= 0 ? "item " + item + ", " : "") + "position " + position + ": " + problem);
        this.item = item;
        this.position = position;
        this.problem = problem;
    }

    /** 0-based index in the list form, or -1 for a single string. */
    public int item() {
        return item;
    }

    /** 1-based character position in the string (or the list item). */
    public int position() {
        return position;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    public boolean retryable() {
        return false;
    }
}
