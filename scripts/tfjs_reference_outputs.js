// Prints the outputs of the nsfwjs MobileNetV2 under TensorFlow.js for one synthetic image, the
// values NsfwjsMobileNetImporterTest.matchesTensorflowJsOutputs compares the ONNX model with.
//
//   mkdir -p /tmp/tfjs && cd /tmp/tfjs && npm install @tensorflow/tfjs@4.22.0
//   NODE_PATH=/tmp/tfjs/node_modules node scripts/tfjs_reference_outputs.js \
//       build/npm/nsfwjs/package/dist/models/mobilenet_v2
//
// The image is 224 x 224 RGB with value ((7x + 13y + 29c) mod 256) / 255 at column x, row y,
// channel c. Printed: the 5 class probabilities and block_2_add at row 0, column 0, channels 0-4.
const path = require('path');
const tf = require('@tensorflow/tfjs');

async function main() {
  const dir = path.resolve(process.argv[2] || '.');
  const modelJson = require(path.join(dir, 'model.min.js'));
  const base64 = require(path.join(dir, 'group1-shard1of1.min.js'));
  const bytes = Buffer.from(base64, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const model = await tf.loadLayersModel(tf.io.fromMemory(
      {modelTopology: modelJson.modelTopology, weightSpecs, weightData}));
  const probe = tf.model({
    inputs: model.inputs,
    outputs: [model.getLayer('block_2_add').output, model.outputs[0]],
  });

  const size = 224;
  const image = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        image[(y * size + x) * 3 + c] = ((x * 7 + y * 13 + c * 29) % 256) / 255;
      }
    }
  }
  const [block2, probabilities] = probe.predict(tf.tensor4d(image, [1, size, size, 3]));
  console.log('probabilities', Array.from(probabilities.dataSync()));
  console.log('block_2_add[0, 0, 0, 0:5]', Array.from(block2.dataSync().slice(0, 5)));
}

main();
