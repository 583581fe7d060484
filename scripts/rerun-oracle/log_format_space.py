"""Logs the Image format space with the real Rerun SDK into .rrd files, and saves what was logged beside them.

Usage: python log_format_space.py OUTDIR

Writes OUTDIR/formats.rrd, OUTDIR/scene.rrd, OUTDIR/updates.rrd, one OUTDIR/arrays/<name>.bin per logged buffer
(the exact bytes of the numpy array / byte string handed to the SDK, C order, little endian) and
OUTDIR/manifest.json describing every logged item (entity, archetype, format, times, reference file, numbers).
Times are decimal strings (int64 nanoseconds do not fit a JSON number). Deterministic: fixed seeds and fixed times, so two runs log the same values (row ids and recording ids differ).
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import rerun as rr
import rerun.blueprint as rrb
from PIL import Image as PilImage

COLOR_MODELS = {"L": 1, "RGB": 3, "RGBA": 4, "BGR": 3, "BGRA": 4}
DATATYPES = {
    "U8": np.uint8,
    "I8": np.int8,
    "U16": np.uint16,
    "I16": np.int16,
    "U32": np.uint32,
    "I32": np.int32,
    "U64": np.uint64,
    "I64": np.int64,
    "F16": np.float16,
    "F32": np.float32,
    "F64": np.float64,
}
# Byte count of a w×h image in each PixelFormat (Rerun's docs for rerun.datatypes.PixelFormat).
PIXEL_FORMATS = {
    "Y_U_V12_LimitedRange": lambda w, h: w * h * 3 // 2,
    "NV12": lambda w, h: w * h * 3 // 2,
    "YUY2": lambda w, h: w * h * 2,
    "Y8_FullRange": lambda w, h: w * h,
    "Y_U_V24_LimitedRange": lambda w, h: w * h * 3,
    "Y_U_V24_FullRange": lambda w, h: w * h * 3,
    "Y8_LimitedRange": lambda w, h: w * h,
    "Y_U_V12_FullRange": lambda w, h: w * h * 3 // 2,
    "Y_U_V16_LimitedRange": lambda w, h: w * h * 2,
    "Y_U_V16_FullRange": lambda w, h: w * h * 2,
    "BayerRGGB8": lambda w, h: w * h,
    "BayerBGGR8": lambda w, h: w * h,
    "BayerGBRG8": lambda w, h: w * h,
    "BayerGRBG8": lambda w, h: w * h,
}
WALL_START_NS = 1_700_000_000_000_000_000


class Oracle:
    def __init__(self, out: Path) -> None:
        self.out = out
        (out / "arrays").mkdir(parents=True, exist_ok=True)
        self.items: list[dict] = []
        self.files: dict[str, dict] = {}

    def save_bytes(self, name: str, data: bytes) -> str:
        rel = f"arrays/{name}.bin"
        (self.out / rel).write_bytes(data)
        return rel

    def add(self, **item: object) -> None:
        self.items.append(item)


def random_array(rng: np.random.Generator, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """Values over the whole range of integer types; finite values, a NaN-free spread, for floats."""
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    return (rng.standard_normal(shape) * 1000).astype(dtype)


def recording(oracle: Oracle, name: str, app: str, blueprint: rrb.Blueprint | None = None) -> rr.RecordingStream:
    rec = rr.RecordingStream(app, recording_id=f"oracle-{name}")
    rec.save(oracle.out / f"{name}.rrd", default_blueprint=blueprint)
    oracle.files[name] = {"applicationId": app, "recordingId": f"oracle-{name}"}
    return rec


def log_formats(oracle: Oracle) -> None:
    """Every ColorModel × ChannelDatatype (5×3 px, odd sizes) and every PixelFormat, at frame 0, plus static data."""
    blueprint = rrb.Blueprint(rrb.Spatial2DView(name="colour", origin="/color"), collapse_panels=True)
    rec = recording(oracle, "formats", "rerun_example_oracle_formats", blueprint)
    rec.send_recording_name("oracle formats")
    rec.send_recording_start_time_nanos(WALL_START_NS)
    rec.send_property("oracle", rr.AnyValues(seed=1, source="log_format_space.py"))
    oracle.files["formats"].update(
        recordingName="oracle formats", startTimeNs=str(WALL_START_NS), blueprint=True, properties=["oracle"]
    )
    rng = np.random.default_rng(1)
    width, height = 5, 3
    rec.set_time("frame", sequence=0)
    for cm, channels in COLOR_MODELS.items():
        for dt, dtype in DATATYPES.items():
            shape = (height, width) if channels == 1 else (height, width, channels)
            array = random_array(rng, shape, dtype)
            entity = f"color/{cm}_{dt}"
            rec.log(entity, rr.Image(array, color_model=cm))
            oracle.add(
                entity=f"/{entity}",
                file="formats",
                archetype="Image",
                width=width,
                height=height,
                colorModel=cm,
                datatype=dt,
                timeline="frame",
                time=0,
                buffer=oracle.save_bytes(f"color_{cm}_{dt}", array.tobytes()),
            )
    pw, ph = 6, 4
    for pf, size in PIXEL_FORMATS.items():
        data = rng.integers(0, 255, size=size(pw, ph), dtype=np.uint8, endpoint=True).tobytes()
        entity = f"pixel/{pf}"
        rec.log(entity, rr.Image(bytes=data, width=pw, height=ph, pixel_format=getattr(rr.PixelFormat, pf)))
        oracle.add(
            entity=f"/{entity}",
            file="formats",
            archetype="Image",
            width=pw,
            height=ph,
            pixelFormat=pf,
            timeline="frame",
            time=0,
            buffer=oracle.save_bytes(f"pixel_{pf}", data),
        )
    # Static: no time at all, and a drawn image with opacity / draw order.
    logo = random_array(rng, (4, 7, 3), np.uint8)
    rec.log("static/logo", rr.Image(logo, opacity=0.5, draw_order=3.0), static=True)
    oracle.add(
        entity="/static/logo",
        file="formats",
        archetype="Image",
        width=7,
        height=4,
        colorModel="RGB",
        datatype="U8",
        static=True,
        opacity=0.5,
        drawOrder=3.0,
        buffer=oracle.save_bytes("static_logo", logo.tobytes()),
    )
    rec.flush()
    rec.disconnect()


def log_scene(oracle: Oracle) -> None:
    """EncodedImage, DepthImage, SegmentationImage + AnnotationContext, Pinhole, Transform3D."""
    rec = recording(oracle, "scene", "rerun_example_oracle_scene")
    rng = np.random.default_rng(2)
    rec.set_time("frame", sequence=1)

    picture = random_array(rng, (6, 10, 3), np.uint8)
    png = io.BytesIO()
    PilImage.fromarray(picture).save(png, format="PNG")
    rec.log("encoded/png", rr.EncodedImage(contents=png.getvalue(), media_type="image/png"))
    oracle.add(
        entity="/encoded/png",
        file="scene",
        archetype="EncodedImage",
        mediaType="image/png",
        timeline="frame",
        time=1,
        blob=oracle.save_bytes("encoded_png", png.getvalue()),
        decoded=oracle.save_bytes("encoded_png_pixels", picture.tobytes()),
        width=10,
        height=6,
    )
    jpeg = io.BytesIO()
    PilImage.fromarray(picture).save(jpeg, format="JPEG", quality=90)
    rec.log("encoded/jpeg", rr.EncodedImage(contents=jpeg.getvalue(), media_type="image/jpeg", opacity=0.75))
    oracle.add(
        entity="/encoded/jpeg",
        file="scene",
        archetype="EncodedImage",
        mediaType="image/jpeg",
        opacity=0.75,
        timeline="frame",
        time=1,
        blob=oracle.save_bytes("encoded_jpeg", jpeg.getvalue()),
    )

    depth16 = rng.integers(0, 65535, size=(4, 6), dtype=np.uint16)
    rec.log("world/camera/depth_u16", rr.DepthImage(depth16, meter=1000.0, colormap="viridis"))
    oracle.add(
        entity="/world/camera/depth_u16",
        file="scene",
        archetype="DepthImage",
        width=6,
        height=4,
        datatype="U16",
        meter=1000.0,
        colormap=6,
        timeline="frame",
        time=1,
        buffer=oracle.save_bytes("depth_u16", depth16.tobytes()),
    )
    depth32 = (rng.random((4, 6)) * 10).astype(np.float32)
    rec.log("world/camera/depth_f32", rr.DepthImage(depth32, meter=1.0, depth_range=(0.5, 9.5)))
    oracle.add(
        entity="/world/camera/depth_f32",
        file="scene",
        archetype="DepthImage",
        width=6,
        height=4,
        datatype="F32",
        meter=1.0,
        depthRange=[0.5, 9.5],
        timeline="frame",
        time=1,
        buffer=oracle.save_bytes("depth_f32", depth32.tobytes()),
    )

    rec.log(
        "world/camera",
        rr.AnnotationContext([(1, "red", (255, 0, 0)), (2, "green", (0, 255, 0)), (7, "blue", (0, 0, 255))]),
        static=True,
    )
    oracle.add(
        entity="/world/camera",
        file="scene",
        archetype="AnnotationContext",
        static=True,
        classes=[[1, "red", [255, 0, 0, 255]], [2, "green", [0, 255, 0, 255]], [7, "blue", [0, 0, 255, 255]]],
    )
    seg8 = rng.choice(np.array([0, 1, 2, 7], dtype=np.uint8), size=(4, 6))
    rec.log("world/camera/segmentation_u8", rr.SegmentationImage(seg8, opacity=0.5))
    oracle.add(
        entity="/world/camera/segmentation_u8",
        file="scene",
        archetype="SegmentationImage",
        width=6,
        height=4,
        datatype="U8",
        opacity=0.5,
        timeline="frame",
        time=1,
        buffer=oracle.save_bytes("segmentation_u8", seg8.tobytes()),
    )
    seg16 = rng.integers(0, 1000, size=(3, 5), dtype=np.uint16)
    rec.log("world/camera/segmentation_u16", rr.SegmentationImage(seg16))
    oracle.add(
        entity="/world/camera/segmentation_u16",
        file="scene",
        archetype="SegmentationImage",
        width=5,
        height=3,
        datatype="U16",
        timeline="frame",
        time=1,
        buffer=oracle.save_bytes("segmentation_u16", seg16.tobytes()),
    )

    rec.log(
        "world/camera",
        rr.Pinhole(focal_length=[500.0, 400.0], principal_point=[3.0, 2.0], width=6, height=4, image_plane_distance=2.5),
    )
    oracle.add(
        entity="/world/camera",
        file="scene",
        archetype="Pinhole",
        timeline="frame",
        time=1,
        # Column-major 3×3, as rerun.datatypes.Mat3x3 stores it.
        imageFromCamera=[500.0, 0.0, 0.0, 0.0, 400.0, 0.0, 3.0, 2.0, 1.0],
        resolution=[6.0, 4.0],
        imagePlaneDistance=2.5,
    )
    rec.log(
        "world",
        rr.Transform3D(translation=[1.0, 2.0, 3.0], quaternion=rr.Quaternion(xyzw=[0.0, 0.0, 0.6, 0.8]), scale=2.0),
    )
    oracle.add(
        entity="/world",
        file="scene",
        archetype="Transform3D",
        timeline="frame",
        time=1,
        translation=[1.0, 2.0, 3.0],
        quaternion=[0.0, 0.0, 0.6, 0.8],
        scale=[2.0, 2.0, 2.0],
    )
    rec.log("world/tilted", rr.Transform3D(mat3x3=[[1, 0, 0], [0, 0, -1], [0, 1, 0]]))
    oracle.add(
        entity="/world/tilted",
        file="scene",
        archetype="Transform3D",
        timeline="frame",
        time=1,
        # Column-major.
        mat3x3=[1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, -1.0, 0.0],
    )
    rec.flush()
    rec.disconnect()


def log_updates(oracle: Oracle) -> None:
    """Row updates on three timelines (sequence, duration, timestamp) and column updates with send_columns."""
    rec = recording(oracle, "updates", "rerun_example_oracle_updates")
    rng = np.random.default_rng(3)
    frames = 6
    rows = random_array(rng, (frames, 4, 6, 3), np.uint8)
    for t in range(frames):
        rec.set_time("frame", sequence=t)
        rec.set_time("sim_time", duration=0.5 * t)
        rec.set_time("wall", timestamp=np.datetime64(WALL_START_NS + t * 1_000_000, "ns"))
        rec.log("rows/image", rr.Image(rows[t]))
        oracle.add(
            entity="/rows/image",
            file="updates",
            archetype="Image",
            width=6,
            height=4,
            colorModel="RGB",
            datatype="U8",
            times={"frame": str(t), "sim_time": str(t * 500_000_000), "wall": str(WALL_START_NS + t * 1_000_000)},
            buffer=oracle.save_bytes(f"rows_{t}", rows[t].tobytes()),
        )
    rec.reset_time()

    columns = random_array(rng, (frames, 3, 5), np.uint16)
    rec.log("columns/image", rr.Image.from_fields(format=rr.components.ImageFormat(width=5, height=3, color_model="L", channel_datatype="U16")), static=True)
    steps = np.arange(10, 10 + frames)
    rec.send_columns(
        "columns/image",
        indexes=[
            rr.TimeColumn("step", sequence=steps),
            rr.TimeColumn("sim_time", duration=steps * 0.25),
            rr.TimeColumn("wall", timestamp=np.array([WALL_START_NS + int(s) * 1_000 for s in steps], dtype="datetime64[ns]")),
        ],
        columns=rr.Image.columns(buffer=columns.reshape(frames, -1).view(np.uint8)),
    )
    for i, s in enumerate(steps):
        oracle.add(
            entity="/columns/image",
            file="updates",
            archetype="Image",
            width=5,
            height=3,
            colorModel="L",
            datatype="U16",
            staticFormat=True,
            times={"step": str(s), "sim_time": str(int(s) * 250_000_000), "wall": str(WALL_START_NS + int(s) * 1_000)},
            buffer=oracle.save_bytes(f"columns_{i}", columns[i].tobytes()),
        )
    rec.flush()
    rec.disconnect()


def main() -> None:
    out = Path(sys.argv[1])
    oracle = Oracle(out)
    log_formats(oracle)
    log_scene(oracle)
    log_updates(oracle)
    manifest = {"rerunVersion": rr.__version__, "files": oracle.files, "items": oracle.items}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
