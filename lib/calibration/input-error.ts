/** Data or settings calibration cannot learn from; the message says what is wrong and how to fix it. */
export class CalibrationInputError extends Error {
  override readonly name = 'CalibrationInputError';
}
