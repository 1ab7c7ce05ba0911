/**
 * Ready-made models and model tools (`nb.models`): the fine-tuning helpers of `model/`, the
 * GPT language model with its training loop, and text classifier recipes (fastText, Kim's CNN,
 * BiLSTM/BiGRU, a small transformer) that take strings, and text pretraining (a CBOW language
 * model of word embeddings) with classifiers fine-tuned from it or from a trained text classifier;
 * a spoken-word classifier (log-mel front end, per-utterance normalisation, optional SpecAugment and noise, a small CNN)
 * that takes waveforms.
 *
 * @example
 * const gpt = new nb.models.GPT({ vocabSize: 65, contextLength: 64 });
 */
export * from './fine-tuning.js';
export { GPT, type GPTOptions, type GPTCache } from './gpt.js';
export {
  trainLanguageModel, languageModelStep, estimateLoss, lmLoss, type LanguageModelStepOptions,
  type LanguageModel, type TrainLanguageModelOptions, type LanguageModelHistory, type LanguageModelTrainResult,
} from './gpt-train.js';
export {
  textBagOfEmbeddings, textCNN, textRNN, textTransformer, type TextClassifierOptions, type TextCNNOptions,
  type TextRNNOptions, type TextTransformerOptions,
} from './text-classifiers.js';
export {
  textLanguageModel, TextLanguageModel, paddedTokenCrossentropy, type TextLanguageModelOptions, type PretrainOptions,
  type ContextWindows,
} from './text-pretrain.js';
export { textClassifierFromPretrained, type FromPretrainedOptions } from './text-from-pretrained.js';
export { speechClassifier, type SpeechClassifierOptions } from './speech-classifiers.js';
export { speechCTC, SpeechCTC, type SpeechCTCOptions } from './speech-ctc.js';
export {
  trainSpeechCTC, transcribe, ctcBatch, type CtcSequences, type TrainSpeechCTCOptions, type SpeechCTCTrainResult, type TranscribeOptions,
} from './speech-ctc-train.js';
