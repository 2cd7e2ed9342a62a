package io.warmline.webrtc.load;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioProcessing;
import dev.onvoid.webrtc.media.audio.AudioProcessingConfig;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.ArrayList;
import java.util.List;

/**
 * The load client's libwebrtc factories: each a {@link PeerConnectionFactory} with its own headless audio module
 * (one playout thread mixing the streams of its peers) and its own signalling, worker and network threads; peers are
 * spread over them in turn. Optionally each gets an audio processing module with every submodule off.
 */
final class PeerFactories implements AutoCloseable {
    private final List<HeadlessAudioDeviceModule> modules = new ArrayList<>();
    private final List<AudioProcessing> processing = new ArrayList<>();
    private final List<PeerConnectionFactory> factories = new ArrayList<>();

    PeerFactories(int count, boolean processingOff) {
        if (count < 1 || count > 16) {
            throw new IllegalArgumentException("factories must be 1..16: " + count);
        }
        for (int i = 0; i < count; i++) {
            HeadlessAudioDeviceModule adm = new HeadlessAudioDeviceModule();
            modules.add(adm);
            if (processingOff) {
                AudioProcessing apm = new AudioProcessing();
                // every submodule off: the client has no microphone to clean and no loudspeaker echo to cancel
                apm.applyConfig(new AudioProcessingConfig());
                processing.add(apm);
                factories.add(new PeerConnectionFactory(adm, apm));
            } else {
                factories.add(new PeerConnectionFactory(adm));
            }
        }
    }

    PeerConnectionFactory forPeer(int index) {
        return factories.get(index % factories.size());
    }

    int size() {
        return factories.size();
    }

    /**
     * Stops each headless module's capture thread (it feeds every send stream and libwebrtc lets one thread only feed
     * a stream: the load client's feeder takes over) and turns the processing modules off again: libwebrtc's voice
     * engine applies its default audio options (echo cancellation, gain control, noise suppression, high-pass) to
     * the module it is given, at start and as send streams are added.
     */
    void stopCapture() {
        for (HeadlessAudioDeviceModule adm : modules) {
            adm.stopRecording();
        }
        for (AudioProcessing apm : processing) {
            apm.applyConfig(new AudioProcessingConfig());
        }
    }

    @Override
    public void close() {
        for (PeerConnectionFactory f : factories) {
            f.dispose();
        }
        for (HeadlessAudioDeviceModule adm : modules) {
            adm.dispose();
        }
        for (AudioProcessing apm : processing) {
            apm.dispose();
        }
    }
}
