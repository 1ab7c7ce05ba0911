{
  "targets": [
    {
      "target_name": "nabla_native",
      "sources": [
        "native/addon.c",
        "native/napi_args.c",
        "native/cpu.c",
        "native/pool.c",
        "native/gemm.c",
        "native/gemm_portable.c",
        "native/gemm_avx2.c",
        "native/gemm_avx512.c",
        "native/elementwise.c",
        "native/reduce.c",
        "native/movement.c",
        "native/im2col.c",
        "native/batchnorm.c",
        "native/addon_movement.c",
        "native/attention.c",
        "native/addon_attention.c",
        "native/optim.c",
        "native/fused.c",
        "native/addon_fused.c",
        "native/recurrent.c",
        "native/addon_recurrent.c",
        "native/fft.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=gnu11", "-fno-math-errno", "-ffp-contract=off", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lpthread", "-lm"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "3",
        "OTHER_CFLAGS": ["-std=gnu11", "-fno-math-errno", "-ffp-contract=off"]
      }
    }
  ]
}
