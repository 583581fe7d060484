import { RendererError } from "../renderer-error.ts";

/** A linked WebGL2 program with its active uniform locations. */
export class ShaderProgram {
  readonly program: WebGLProgram;
  readonly #gl: WebGL2RenderingContext;
  readonly #uniforms = new Map<string, WebGLUniformLocation>();
  #destroyed = false;

  constructor(gl: WebGL2RenderingContext, sources: { vertex: string; fragment: string; label: string }) {
    this.#gl = gl;
    const vertex = compileShader(gl, gl.VERTEX_SHADER, sources.vertex, sources.label);
    const fragment = compileShader(gl, gl.FRAGMENT_SHADER, sources.fragment, sources.label);
    const program = gl.createProgram();
    if (program === null) {
      gl.deleteShader(vertex);
      gl.deleteShader(fragment);
      throw new RendererError("webgl-error", "gl.createProgram() returned null (context lost?)");
    }
    gl.attachShader(program, vertex);
    gl.attachShader(program, fragment);
    gl.linkProgram(program);
    gl.deleteShader(vertex);
    gl.deleteShader(fragment);
    if (gl.getProgramParameter(program, gl.LINK_STATUS) !== true) {
      const log = gl.getProgramInfoLog(program) ?? "";
      gl.deleteProgram(program);
      throw new RendererError("shader-compile", `Program "${sources.label}" did not link: ${log.trim()}`, {
        actual: log,
      });
    }
    this.program = program;
    const count = gl.getProgramParameter(program, gl.ACTIVE_UNIFORMS) as number;
    for (let i = 0; i < count; i++) {
      const info = gl.getActiveUniform(program, i);
      if (info === null) continue;
      const location = gl.getUniformLocation(program, info.name);
      if (location !== null) this.#uniforms.set(info.name, location);
    }
  }

  /** Location of an active uniform, or null when the compiler removed it (setting null is a no-op). */
  uniform(name: string): WebGLUniformLocation | null {
    return this.#uniforms.get(name) ?? null;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#gl.deleteProgram(this.program);
  }
}

/** Source lines around each "ERROR: 0:<line>" of a compiler log, numbered as the driver numbers them. */
function annotate(source: string, log: string): string {
  const lines = source.split("\n");
  const notes: string[] = [];
  for (const match of log.matchAll(/ERROR:\s*\d+:(\d+):/g)) {
    const line = Number(match[1]);
    const text = lines[line - 1];
    if (text !== undefined) notes.push(`  ${line}: ${text.trim()}`);
  }
  return notes.length > 0 ? `\n${notes.join("\n")}` : "";
}

function compileShader(gl: WebGL2RenderingContext, type: number, source: string, label: string): WebGLShader {
  const shader = gl.createShader(type);
  if (shader === null)
    throw new RendererError("webgl-error", "gl.createShader() returned null (context lost?)");
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (gl.getShaderParameter(shader, gl.COMPILE_STATUS) !== true) {
    const log = gl.getShaderInfoLog(shader) ?? "";
    gl.deleteShader(shader);
    const stage = type === gl.VERTEX_SHADER ? "vertex" : "fragment";
    throw new RendererError(
      "shader-compile",
      `The ${stage} shader of "${label}" did not compile: ${log.trim()}${annotate(source, log)}`,
      { actual: log },
    );
  }
  return shader;
}
