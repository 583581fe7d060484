// Runs in the browser: logs images with the SDK into an in-memory .rrd (BytesSink), as a web page would.
import { BytesSink, Image, RecordingStream, TimeColumn } from "@iris/sdk";

function run(): { rrdBase64: string; blobSize: number; blobType: string } {
  const sink = new BytesSink();
  const rec = new RecordingStream({ applicationId: "browser_sdk", recordingId: "in-page", sink });
  // An ImageData from a real canvas, as a browser user would have it.
  const canvas = new OffscreenCanvas(4, 2);
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "rgb(255, 0, 0)";
  ctx.fillRect(0, 0, 2, 2);
  ctx.fillStyle = "rgb(0, 0, 255)";
  ctx.fillRect(2, 0, 2, 2);
  rec.setTimeSequence("frame", 7);
  rec.log("canvas", Image.fromImageData(ctx.getImageData(0, 0, 4, 2)));
  rec.log("depth", new Image(new Float32Array([0.5, 1.5, 2.5, 3.5]), { width: 2, height: 2 }), {
    static: true,
  });
  rec.sendColumns(
    "frames",
    [new TimeColumn("frame", { sequence: [1, 2] })],
    Image.columns({
      buffer: [new Uint8Array([1, 2, 3, 4]), new Uint8Array([5, 6, 7, 8])],
      format: [
        { width: 2, height: 2, colorModel: 1, channelDatatype: 6 },
        { width: 2, height: 2, colorModel: 1, channelDatatype: 6 },
      ],
    }),
  );
  rec.flush();
  const bytes = sink.toBytes();
  const blob = sink.toBlob();
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { rrdBase64: btoa(text), blobSize: blob.size, blobType: blob.type };
}

(globalThis as unknown as { runSdk: typeof run }).runSdk = run;
