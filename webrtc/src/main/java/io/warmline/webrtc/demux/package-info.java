/** RFC 7983 demultiplexing of STUN, DTLS, RTP and RTCP arriving on one port. */
package io.warmline.webrtc.demux;
