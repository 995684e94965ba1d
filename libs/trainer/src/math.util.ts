// Hot loops call these through module constants rather than `Math.x`: under Jest the VM context's
// `Math` is a foreign object whose property loads V8 does not optimize (measured ~70× slower for
// `Math.sqrt` in Adam's inner loop); plain function references stay fast everywhere.
export const { cos, exp, floor, fround, imul, log, max, min, sqrt, PI } = Math;
