// Seeded random numbers. A generator handle owns its own stream, so data order, augmentation and dropout
// can each be reproduced independently of the global seed.
#include "common.h"

static at::Generator& gen_or_default(mnr_generator g) {
  static thread_local at::Generator fallback;
  if (g) return *g;
  fallback = at::detail::getDefaultCPUGenerator();
  return fallback;
}

MNR_API mnr_generator mnr_generator_new(uint64_t seed) {
  MNR_TRY return new at::Generator(at::make_generator<at::CPUGeneratorImpl>(seed));
  MNR_CATCH(nullptr)
}
MNR_API void mnr_generator_free(mnr_generator g) { delete g; }
// The generator's full state as a uint8 tensor, for checkpoints that resume bit for bit.
MNR_API mnr_tensor mnr_generator_get_state(mnr_generator opt_gen){
    MNR_TENSOR(gen_or_default(opt_gen).get_state())} MNR_API int32_t
    mnr_generator_set_state(mnr_generator opt_gen, mnr_tensor state) {
  MNR_STATUS(gen_or_default(opt_gen).set_state(*state))
}

// Random tensors are made on the CPU (where the generator lives) and then moved to the device.
static at::Tensor on_device(at::Tensor t, int32_t dev, int32_t idx) {
  if (dev == static_cast<int32_t>(at::kCPU)) return t;
  return t.to(at::Device(static_cast<at::DeviceType>(dev), static_cast<c10::DeviceIndex>(idx)));
}

MNR_API mnr_tensor mnr_rand(const int64_t* shape, int32_t n, mnr_generator opt_gen, int32_t dtype,
                            int32_t dev, int32_t idx){
    MNR_TENSOR(on_device(at::rand(mnr::dims(shape, n), gen_or_default(opt_gen), mnr::options(dtype, 0, -1)),
                         dev, idx))} MNR_API mnr_tensor mnr_randn(const int64_t* shape, int32_t n,
                                                                  mnr_generator opt_gen, int32_t dtype,
                                                                  int32_t dev, int32_t idx){
    MNR_TENSOR(on_device(at::randn(mnr::dims(shape, n), gen_or_default(opt_gen), mnr::options(dtype, 0, -1)),
                         dev, idx))} MNR_API mnr_tensor
    mnr_randint(int64_t low, int64_t high, const int64_t* shape, int32_t n, mnr_generator opt_gen,
                int32_t dtype, int32_t dev, int32_t idx){
        MNR_TENSOR(on_device(at::randint(low, high, mnr::dims(shape, n), gen_or_default(opt_gen),
                                         mnr::options(dtype, 0, -1)),
                             dev, idx))} MNR_API mnr_tensor
    mnr_randperm(int64_t count, mnr_generator opt_gen, int32_t dev, int32_t idx){MNR_TENSOR(on_device(
        at::randperm(count, gen_or_default(opt_gen), at::TensorOptions().dtype(at::kLong)), dev, idx))}
// Each element is 1 with the probability held in `probabilities` (same shape).
MNR_API mnr_tensor mnr_bernoulli(mnr_tensor probabilities, mnr_generator opt_gen){
    MNR_TENSOR(at::bernoulli(*probabilities, gen_or_default(opt_gen)))} MNR_API int32_t
    mnr_uniform_(mnr_tensor a, double from, double to, mnr_generator opt_gen){
        MNR_STATUS(a->uniform_(from, to, gen_or_default(opt_gen)))} MNR_API int32_t
    mnr_normal_(mnr_tensor a, double mean, double std, mnr_generator opt_gen) {
  MNR_STATUS(a->normal_(mean, std, gen_or_default(opt_gen)))
}
