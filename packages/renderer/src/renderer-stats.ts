/** Counters of one `ImageRenderer` (read them to assert that e.g. a range change did not re-upload). */
export interface RendererStats {
  /** `texImage2D` calls carrying image data (one per tile). Never incremented by `draw`. */
  textureUploads: number;
  /** Bytes handed to those calls. */
  uploadedBytes: number;
  /** Image textures currently alive (tiles included). */
  liveTextures: number;
  /** GPU bytes held by live image textures. */
  liveTextureBytes: number;
  /** Colormap lookup tables uploaded (once per colormap and renderer). */
  colormapUploads: number;
  /** Shader programs compiled and linked (one per sampler kind × format defines, then cached). */
  programsCompiled: number;
  /** `drawArrays` calls (one per tile). */
  drawCalls: number;
}

export function createRendererStats(): RendererStats {
  return {
    textureUploads: 0,
    uploadedBytes: 0,
    liveTextures: 0,
    liveTextureBytes: 0,
    colormapUploads: 0,
    programsCompiled: 0,
    drawCalls: 0,
  };
}
