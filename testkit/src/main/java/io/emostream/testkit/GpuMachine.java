package io.emostream.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine can run TensorRT, decided without emostream's loader (the thing under test): an NVIDIA
 * device node, and the driver's and TensorRT's libraries where the dynamic linker finds them (or TensorRT's redist
 * jar on the class path).
 */
public final class GpuMachine {
    public static final String NEEDS = "needs an NVIDIA GPU with TensorRT 10.15";

    private GpuMachine() {
    }

    public static boolean hasTensorRt() {
        boolean redist = GpuMachine.class.getClassLoader().getResource("org/bytedeco/tensorrt/linux-x86_64/libnvinfer.so.10") != null;
        return Files.exists(Path.of("/dev/nvidiactl")) && findLibrary("libcuda.so.1").isPresent()
                && (redist || findLibrary("libnvinfer.so.10").isPresent());
    }

    /** Where the dynamic linker would find this library: LD_LIBRARY_PATH, then its cache, then TensorRT's usual home. */
    public static Optional<Path> findLibrary(String name) {
        List<Path> directories = new ArrayList<>();
        String path = System.getenv("LD_LIBRARY_PATH");
        if (path != null) {
            for (String directory : path.split(":")) {
                if (!directory.isBlank()) {
                    directories.add(Path.of(directory));
                }
            }
        }
        directories.add(Path.of("/usr/local/tensorrt/lib"));
        for (Path directory : directories) {
            if (Files.exists(directory.resolve(name))) {
                return Optional.of(directory.resolve(name));
            }
        }
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (Files.isExecutable(Path.of(ldconfig))) {
                try {
                    Process process = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                    String cache;
                    try (InputStream out = process.getInputStream()) {
                        cache = new String(out.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    process.waitFor();
                    return cache.lines().map(String::strip).filter(line -> line.startsWith(name + " "))
                            .map(line -> Path.of(line.substring(line.lastIndexOf("=> ") + 3))).findFirst();
                } catch (IOException e) {
                    return Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
