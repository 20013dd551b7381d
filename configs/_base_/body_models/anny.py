# Anny, the open embedded default (no licensed file needed).
body_model = dict(type='Anny')
num_betas = 6
