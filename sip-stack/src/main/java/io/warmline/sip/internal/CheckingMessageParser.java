package io.warmline.sip.internal;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;

/**
 * The RI's parser plus {@link RawMessageCheck}: a defect is attached to the parsed message as its application
 * data, and {@code SipCore} answers it (400/505) instead of processing the request.
 * Installed with {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}.
 */
public final class CheckingMessageParser extends StringMsgParser {

    /** The factory class named in the stack properties. */
    public static final class Factory implements MessageParserFactory {
        public Factory() {
        }

        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return new CheckingMessageParser();
        }
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] msgBuffer, boolean readBody, boolean strict,
                                      ParseExceptionListener listener) throws ParseException {
        SIPMessage m = super.parseSIPMessage(msgBuffer, readBody, strict, listener);
        if (m != null && msgBuffer != null) {
            RawMessageCheck.Defect d = RawMessageCheck.check(msgBuffer);
            if (d != null) {
                m.setApplicationData(d);
            }
        }
        return m;
    }
}
