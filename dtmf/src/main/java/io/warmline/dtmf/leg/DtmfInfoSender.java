package io.warmline.dtmf.leg;

import io.warmline.dtmf.info.DtmfInfo;

/**
 * Sends one key press as a SIP INFO within the leg's dialog (implemented by the SIP layer, which picks the body's
 * content type). Called on the leg's event loop; must not block.
 */
@FunctionalInterface
public interface DtmfInfoSender {
    void sendInfo(DtmfInfo info);
}
