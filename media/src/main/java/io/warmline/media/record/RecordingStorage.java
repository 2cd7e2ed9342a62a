package io.warmline.media.record;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where the {@link RecordingWriter} puts files: the file system, or a test double. Called on the writer's thread
 * only.
 */
interface RecordingStorage {

    /** Creates {@code file} (it must not exist) and its missing parent directories; returns it open for writing. */
    SeekableByteChannel create(Path file) throws IOException;

    /** Bytes still usable on the file system holding {@code file}'s directory. */
    long usableBytes(Path file) throws IOException;

    /** Files 0600 and directories 0700 where POSIX permissions exist: recordings are personal data. */
    RecordingStorage FILES = new RecordingStorage() {
        private final Set<PosixFilePermission> fileMode = PosixFilePermissions.fromString("rw-------");
        private final Set<PosixFilePermission> dirMode = PosixFilePermissions.fromString("rwx------");

        @Override
        public SeekableByteChannel create(Path file) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView("posix");
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(dirMode));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(fileMode)}
                    : new FileAttribute<?>[0];
            try {
                return Files.newByteChannel(file, options, attrs);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("recording file already exists: " + file, e);
            }
        }

        @Override
        public long usableBytes(Path file) throws IOException {
            return Files.getFileStore(existingAncestor(file.toAbsolutePath().getParent())).getUsableSpace();
        }

        private Path existingAncestor(Path dir) throws IOException {
            for (Path p = dir; p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    return p;
                }
            }
            throw new IOException("no existing ancestor of " + dir);
        }
    };
}
