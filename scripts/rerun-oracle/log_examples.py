"""Logs, with the real Rerun SDK, the same data as the Iris examples (examples/src/<name>.ts), one file each.

Usage: python log_examples.py OUTDIR NAME...

Writes OUTDIR/<name>.rrd for each NAME, with the application id the Iris example uses, for `rerun rrd compare`
against the Iris-written file.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import rerun as rr


def moving_rectangle(t: int) -> np.ndarray:
    """300×200 blue RGB with a cyan rectangle at columns 10t…10t+99, rows 50…149."""
    frame = np.zeros((200, 300, 3), dtype=np.uint8)
    frame[:, :, 2] = 255
    frame[50:150, t * 10 : t * 10 + 100, 1] = 255
    return frame


def image_simple(rec: rr.RecordingStream) -> None:
    image = np.zeros((200, 300, 3), dtype=np.uint8)
    image[:, :, 0] = 255
    image[50:150, 50:150] = (0, 255, 0)
    rec.log("image", rr.Image(image))


def image_row_updates(rec: rr.RecordingStream) -> None:
    for t in range(20):
        rec.set_time("time", sequence=t)
        rec.log("image", rr.Image(moving_rectangle(t)))


def image_column_updates(rec: rr.RecordingStream) -> None:
    times = np.arange(20)
    frames = np.stack([moving_rectangle(t) for t in times])
    rec.log("images", rr.Image.from_fields(format=rr.components.ImageFormat(width=300, height=200, color_model="RGB", channel_datatype="U8")), static=True)
    rec.send_columns(
        "images",
        indexes=[rr.TimeColumn("step", sequence=times)],
        columns=rr.Image.columns(buffer=frames.reshape(len(times), -1)),
    )


def segmentation_image_simple(rec: rr.RecordingStream) -> None:
    ids = np.zeros((8, 12), dtype=np.uint8)
    ids[0:4, 0:6] = 1
    ids[4:8, 6:12] = 2
    rec.log("/", rr.AnnotationContext([(1, "red", (255, 0, 0)), (2, "green", (0, 255, 0))]), static=True)
    rec.log("image", rr.SegmentationImage(ids))


def depth_image_simple(rec: rr.RecordingStream) -> None:
    depth = np.full((200, 300), 65535, dtype=np.uint16)
    depth[50:150, 50:150] = 20000
    depth[130:180, 100:280] = 45000
    rec.log("depth", rr.DepthImage(depth, meter=10_000.0))


def transform3d_simple(rec: rr.RecordingStream) -> None:
    arrow = rr.Arrows3D(origins=[0, 0, 0], vectors=[0, 1, 0])
    rec.log("base", arrow)
    rec.log("base/translated", rr.Transform3D(translation=[1, 0, 0]))
    rec.log("base/translated", arrow)
    rec.log(
        "base/rotated_scaled",
        rr.Transform3D(rotation=rr.RotationAxisAngle(axis=[0, 0, 1], angle=rr.Angle(rad=math.pi / 4)), scale=2),
    )
    rec.log("base/rotated_scaled", arrow)


EXAMPLES = {
    "image_simple": ("rerun_example_image", image_simple),
    "image_row_updates": ("rerun_example_image_row_updates", image_row_updates),
    "image_column_updates": ("rerun_example_image_column_updates", image_column_updates),
    "segmentation_image_simple": ("rerun_example_segmentation_image", segmentation_image_simple),
    "depth_image_simple": ("rerun_example_depth_image", depth_image_simple),
    "transform3d_simple": ("rerun_example_transform3d", transform3d_simple),
}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in sys.argv[2:]:
        app, log = EXAMPLES[name]
        rec = rr.RecordingStream(app)
        rec.save(out / f"{name}.rrd")
        log(rec)
        rec.flush()
        rec.disconnect()


if __name__ == "__main__":
    main()
