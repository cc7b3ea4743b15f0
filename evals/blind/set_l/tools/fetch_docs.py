import subprocess, re, hashlib
G = '/work/.mirror/LawRefBook+Laws/repo'
DOCS = {
  'sh-kjjb': 'DLC/上海地方法规/地方性法规/上海/上海市科学技术进步条例(2024-05-10).md',
  'hen-jssc': 'DLC/河南地方法规/地方性法规/河南/河南省技术市场条例(2010-07-30).md',
}
for did, p in DOCS.items():
    raw = subprocess.run(['git', '--git-dir=' + G, 'show', 'HEAD:' + p], capture_output=True, check=True).stdout.decode('utf-8')
    out = []
    for line in raw.split('\n'):
        if line.strip() == '<!-- INFO END -->':
            continue
        line = re.sub(r'^#+\s*', '', line)
        out.append(line)
    txt = '\n'.join(out).strip('\n') + '\n'
    open(f'/work/blind_l/documents/{did}.txt', 'w', encoding='utf-8').write(txt)
    if did == 'hen-jssc':
        open(f'/work/blind_l/documents/{did}.gbk.txt', 'wb').write(txt.encode('gbk'))
        assert open(f'/work/blind_l/documents/{did}.gbk.txt', 'rb').read().decode('gbk') == txt
