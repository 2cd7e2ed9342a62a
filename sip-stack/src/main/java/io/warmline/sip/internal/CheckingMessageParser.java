package io.warmline.sip.internal;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RI's parser plus {@link RawMessageCheck}: a defect is attached to the parsed message as its application
 * data, and {@code SipCore} answers it (400/505) instead of processing the request. A host name in a request's top
 * Via {@code maddr} is dropped ({@link ViaMaddr}) so that answering it never waits for DNS.
 * Installed with {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}.
 */
public final class CheckingMessageParser extends StringMsgParser {

    private static final Logger LOG = LoggerFactory.getLogger(CheckingMessageParser.class);

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
        SIPMessage m;
        try {
            m = super.parseSIPMessage(msgBuffer, readBody, strict, listener);
        } catch (ParseException e) {
            // The RI puts this message into the reason phrase of its stateless 400 (RFC 3261 §25.1: no CR/LF in a
            // Reason-Phrase). Its own texts hold line breaks, object ids and pieces of the request; say only what
            // kind of defect it was.
            throw new ParseException("malformed message", e.getErrorOffset());
        }
        if (m != null && ViaMaddr.dropHostName(m)) {
            LOG.debug("a host name in the top Via's maddr was ignored");
        }
        if (m != null && msgBuffer != null) {
            RawMessageCheck.Defect d = RawMessageCheck.check(msgBuffer);
            if (d != null) {
                m.setApplicationData(d);
            }
        }
        return m;
    }
}
